import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../src/commands/parse.ts';
import { coded, message, renderCoded, translator } from '../../src/i18n/index.ts';

describe('parsing /pc-verify text, strictly', () => {
  it.each([
    ['staging', { kind: 'start', env: 'staging' }],
    ['  staging  ', { kind: 'start', env: 'staging' }],
    ['prod CHG0012345', { kind: 'start', env: 'prod', ticket: 'CHG0012345' }],
    ['status', { kind: 'status' }],
    ['status prod', { kind: 'status', env: 'prod' }],
    ['history staging', { kind: 'history', env: 'staging' }],
    ['cancel staging', { kind: 'cancel', env: 'staging' }],
    ['off prod', { kind: 'off', env: 'prod' }],
    ['plan dev', { kind: 'plan', env: 'dev' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('%j', (text, expected) => {
    expect(parseSlashCommand(text)).toEqual(expected);
  });

  it.each([
    'staging now please',
    'status a b',
    'help me',
    'cancel staging prod',
    'start staging',
    'staging; rm -rf /',
  ])('refuses %j with the help', (text) => {
    const parsed = parseSlashCommand(text);
    expect(parsed.kind).toBe('invalid');
    // The reason is data (a coded message); the help words it.
    const reason = parsed.kind === 'invalid' ? parsed.reason : '';
    expect(renderCoded(translator('en'), reason)).toContain("I don't understand");
  });

  it('says which subcommand needs an environment', () => {
    const parsed = parseSlashCommand('history');
    expect(parsed).toEqual({
      kind: 'invalid',
      reason: coded(message('commands.needsEnv', { command: 'history' })),
    });
    expect(renderCoded(translator('en'), parsed.kind === 'invalid' ? parsed.reason : '')).toBe(
      '`history` needs an environment: `/pc-verify history <env>`',
    );
  });
});
