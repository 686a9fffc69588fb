import { describe, expect, it } from 'vitest';
import { checkTicket } from '../../src/commands/ticket.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import { translator } from '../../src/i18n/index.ts';

const envWith = (ticket: string): EnvironmentConfig => {
  const text = `
environments:
  prod:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:8000" }
    database: { url: "postgres://h@127.0.0.1/h" }
    driver: { kind: compose, projectDir: /srv/hunter }
    policy: { ${ticket} }
`;
  const env = parseConfig(text, 't.yml', {}).environments.get('prod' as EnvName);
  if (!env) throw new Error('no env');
  return env;
};
const en = translator('en');
const same = (s: string) => s;

describe('checkTicket', () => {
  it('takes no ticket where policy.ticket is absent, and needs none', () => {
    expect(checkTicket(envWith(''), undefined, en, same)).toEqual({ ok: true });
    expect(checkTicket(envWith(''), 'CHG0012345', en, same)).toMatchObject({
      ok: false,
      why: expect.stringContaining('*prod* takes no change ticket'),
    });
  });

  it('accepts any ticket of safe characters when no pattern is set, and links it', () => {
    const env = envWith('ticket: { url: "https://itsm.example/c?n={ticket}" }');
    expect(checkTicket(env, 'INC-42', en, same)).toEqual({
      ok: true,
      ticket: { id: 'INC-42', url: 'https://itsm.example/c?n=INC-42' },
    });
    expect(checkTicket(env, undefined, en, same)).toEqual({ ok: true });
    expect(checkTicket(env, 'a&b=c', en, same)).toMatchObject({ ok: false });
  });

  it('says the form to type when a required ticket is missing, in the deployment language', () => {
    const env = envWith('ticket: { required: true }');
    expect(checkTicket(env, undefined, en, same)).toMatchObject({
      why: expect.stringContaining('Type `/pc-verify prod <ticket>`, e.g. `/pc-verify prod CHG0012345`'),
    });
    expect(checkTicket(env, undefined, translator('tr'), same)).toMatchObject({
      why: expect.stringContaining('*prod* için değişiklik talebi zorunlu'),
    });
  });

  it('refuses an invalid pattern or a non-https url in the config', () => {
    expect(() => envWith('ticket: { pattern: "^CHG[" }')).toThrow(
      /policy\.ticket\.pattern: must be a valid regular expression/,
    );
    expect(() => envWith('ticket: { url: "http://itsm/{ticket}" }')).toThrow(
      /policy\.ticket\.url: must be an https/,
    );
  });

  it('refuses a pattern that backtracks without end, and a url that would break out of a Slack link', () => {
    // Matched against every requester's ticket in the event loop: ^(a+)+$ took 5 s for 28 characters.
    expect(() => envWith('ticket: { pattern: "^(a+)+$" }')).toThrow(
      /policy\.ticket\.pattern: may backtrack without end/,
    );
    expect(() => envWith('ticket: { url: "https://itsm/{ticket}|<!channel>" }')).toThrow(
      /policy\.ticket\.url: must be an https/,
    );
  });
});
