import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../src/commands/parse.ts';

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
    expect(parseSlashCommand(text)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining("I don't understand"),
    });
  });

  it('says which subcommand needs an environment', () => {
    expect(parseSlashCommand('history')).toEqual({
      kind: 'invalid',
      reason: '`history` needs an environment: `/pc-verify history <env>`',
    });
  });
});
