import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeviceCodeHandoff, Login, LoginOutcome, LoginParams } from '../../src/auth/login.ts';
import type { CommandResult, TargetAction } from '../../src/hunter/port.ts';
import { makePhase2Runner } from '../../src/phases/phase2.ts';
import { exited, fakeEnv, fakeRun, ok } from '../helpers/fake-target.ts';

// Phase 2's sequencing and evidence over a scripted Login and Target; the real MSAL and the
// fake Azure AD are exercised in test/auth and test/phases/phase2-sim.test.ts.

const ENV_TEXT = [
  'HUNTER_PARTNER_CENTER_ENABLED=false',
  'HUNTER_PARTNER_CENTER_CLIENT_ID=6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913',
  'HUNTER_PARTNER_CENTER_TENANT_ID=b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
  '',
].join('\n');
const CACHE = '{"Account":{},"AccessToken":{},"RefreshToken":{"rt":{"secret":"1.AR-secret-refresh"}}}';
const USER_CODE = 'QWERTYUIO';
const HANDOFF: DeviceCodeHandoff = {
  verificationUri: 'https://microsoft.com/devicelogin',
  userCode: USER_CODE,
  expiresAt: new Date('2026-11-28T12:15:00Z'),
  message: `To sign in, open https://microsoft.com/devicelogin and enter the code ${USER_CODE}.`,
};
const SUCCESS: LoginOutcome = {
  kind: 'success',
  account: 'o***@c***.com',
  username: 'ops.engineer@contoso.com',
  objectId: '00000000-0000-4000-8000-00000000e1e1',
  cache: CACHE,
  homeAccountId: 'uid.utid',
};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A Login that hands over a code and answers as told, recording what Phase 2 asked of it. */
function scriptedLogin(outcome: LoginOutcome, silentOk = true) {
  const calls: { deviceCode: LoginParams[]; silent: [string, string][] } = { deviceCode: [], silent: [] };
  const login: Login = {
    deviceCode: async (params, handoff) => {
      calls.deviceCode.push(params);
      await handoff(HANDOFF);
      return outcome;
    },
    silent: async (_params, cache, home) => {
      calls.silent.push([cache, home]);
      return silentOk
        ? { ok: true }
        : { ok: false, detail: 'MSAL: no_tokens_found', hint: 'run the flow again' };
    },
  };
  return { login, calls };
}

/** A target whose api service keeps what it is given on stdin and prints its sha256 like `sha256sum`. */
function targetKeepingCache(
  overrides: Partial<Record<TargetAction['kind'], CommandResult>> = {},
  env = fakeEnv(),
) {
  let stored = '';
  const stdins: (string | undefined)[] = [];
  const run = fakeRun(
    {
      envText: ENV_TEXT,
      commands: (action, stdin) => {
        stdins.push(stdin);
        const override = overrides[action.kind];
        if (override) return override;
        if (action.kind === 'installTokenCache' || action.kind === 'stageTokenCache') stored = stdin ?? '';
        if (action.kind === 'tokenCacheDigest' || action.kind === 'stagedTokenCacheDigest')
          return ok(`${sha(stored)}  .token_cache\n`);
        return ok();
      },
    },
    env,
  );
  return { ...run, stdins };
}

async function phase2(login: Login, target: ReturnType<typeof targetKeepingCache>) {
  const handoffs: DeviceCodeHandoff[] = [];
  const result = await makePhase2Runner({ login, handoff: (h) => void handoffs.push(h) })(target.ctx);
  return { result, handoffs, statuses: result.checks.map((c) => [c.id, c.status]) };
}

describe('Phase 2 over a scripted login', () => {
  it('signs in, installs the cache on stdin, reads it back by digest and acquires silently', async () => {
    const { login, calls } = scriptedLogin(SUCCESS);
    const target = targetKeepingCache();
    const { result, handoffs, statuses } = await phase2(login, target);
    expect(statuses).toEqual([
      ['auth.device_code', 'pass'],
      ['auth.cache_installed', 'pass'],
      ['auth.silent', 'pass'],
    ]);
    expect(result.status).toBe('pass');
    // In full: a masked name reads the same for two people of one domain.
    expect(result.checks[0]!.observed).toBe(
      'signed in as ops.engineer@contoso.com (object id 00000000-0000-4000-8000-00000000e1e1)',
    );
    expect(handoffs).toEqual([HANDOFF]);
    expect(calls.deviceCode[0]).toMatchObject({
      clientId: '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913',
      authority: 'https://login.microsoftonline.com/b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b',
    });
    expect(target.actions.map((a) => a.kind)).toEqual(['installTokenCache', 'tokenCacheDigest']);
    expect(target.stdins[0]).toBe(CACHE);
    expect(calls.silent).toEqual([[CACHE, 'uid.utid']]);
  });

  it('tells the thread the login was handed off, never the code, the message or the cache', async () => {
    const target = targetKeepingCache();
    const { result } = await phase2(scriptedLogin(SUCCESS).login, target);
    expect(target.events).toContainEqual({ kind: 'login_handed_off', expiresAt: HANDOFF.expiresAt });
    const shown = JSON.stringify([target.events, result]);
    expect(shown).not.toContain(USER_CODE);
    expect(shown).not.toContain('secret-refresh');
  });

  it('fails auth.cache_installed when what the api service holds is not what was sent', async () => {
    const target = targetKeepingCache({ tokenCacheDigest: ok(`${sha('something else')}  .token_cache\n`) });
    const { result, statuses } = await phase2(scriptedLogin(SUCCESS).login, target);
    expect(statuses).toEqual([
      ['auth.device_code', 'pass'],
      ['auth.cache_installed', 'fail'],
      ['auth.silent', 'skip'],
    ]);
    expect(result.checks[1]!.hint).toBeTruthy();
    expect(result.checks[2]!.observed).toMatch(/^not run: needs auth\.cache_installed/);
  });

  it('fails auth.cache_installed when the cache cannot be written', async () => {
    const target = targetKeepingCache({
      installTokenCache: exited(1, 'sh: .token_cache: Permission denied'),
    });
    const { result, statuses } = await phase2(scriptedLogin(SUCCESS).login, target);
    expect(statuses.map(([, s]) => s)).toEqual(['pass', 'fail', 'skip']);
    expect(result.checks[1]!.observed).toContain('Permission denied');
  });

  it('carries a declined login as a failure with its hint and runs nothing that needs it', async () => {
    const declined: LoginOutcome = {
      kind: 'declined',
      detail: 'Azure AD: access_denied (AADSTS70019)',
      hint: 'The person declined the sign-in.',
    };
    const target = targetKeepingCache();
    const { result, statuses } = await phase2(scriptedLogin(declined).login, target);
    expect(statuses.map(([, s]) => s)).toEqual(['fail', 'skip', 'skip']);
    expect(result.checks[0]).toMatchObject({
      observed: expect.stringContaining('AADSTS70019'),
      hint: 'The person declined the sign-in.',
    });
    expect(result.checks[1]!.observed).toMatch(/^not run: needs auth\.device_code/);
    expect(target.actions).toEqual([]);
  });

  it('fails auth.silent with the login hint when the installed cache does not refresh', async () => {
    const { result, statuses } = await phase2(scriptedLogin(SUCCESS, false).login, targetKeepingCache());
    expect(statuses.map(([, s]) => s)).toEqual(['pass', 'pass', 'fail']);
    expect(result.checks[2]).toMatchObject({ observed: 'MSAL: no_tokens_found', hint: 'run the flow again' });
  });

  it('does not start a login when the env file lacks the client or tenant id', async () => {
    const { login, calls } = scriptedLogin(SUCCESS);
    const run = fakeRun({ envText: 'HUNTER_PARTNER_CENTER_ENABLED=false\n' });
    const result = await makePhase2Runner({ login, handoff: () => undefined })(run.ctx);
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'skip', 'skip']);
    expect(result.checks[0]!.observed).toMatch(/CLIENT_ID/);
    expect(calls.deviceCode).toEqual([]);
    expect(run.actions).toEqual([]);
  });

  it('does not start a login when the env file is not there, and says so rather than calling it a bug', async () => {
    const { login, calls } = scriptedLogin(SUCCESS);
    const run = fakeRun({ envText: '' });
    const missing = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    const target = {
      ...run.ctx.target,
      envFile: { ...run.ctx.target.envFile, read: () => Promise.reject(missing) },
    };
    const result = await makePhase2Runner({ login, handoff: () => undefined })({ ...run.ctx, target });
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'skip', 'skip']);
    expect(result.checks[0]).toMatchObject({
      observed: 'the env file /srv/hunter/.env does not exist; pc-verify changed nothing',
      hint: expect.stringContaining('create /srv/hunter/.env'),
    });
    expect(calls.deviceCode).toEqual([]);
  });

  it('refuses an account outside auth.allowedAccounts before anything is installed, naming it in full', async () => {
    const env = fakeEnv(`    auth: { allowedAccounts: [prod.identity@contoso.com] }\n`);
    const target = targetKeepingCache({}, env);
    const heard: [string, boolean][] = [];
    const result = await makePhase2Runner({
      login: scriptedLogin(SUCCESS).login,
      handoff: () => undefined,
      onSignedIn: (account, allowed) => void heard.push([account.username, allowed]),
    })(target.ctx);
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'skip', 'skip']);
    expect(result.checks[0]!.observed).toBe(
      'signed in as ops.engineer@contoso.com (object id 00000000-0000-4000-8000-00000000e1e1), which is not in auth.allowedAccounts of staging: nothing was installed',
    );
    expect(target.actions).toEqual([]);
    expect(heard).toEqual([['ops.engineer@contoso.com', false]]);
  });

  it('accepts a listed object id, and stages the cache beside the live one when asked', async () => {
    const env = fakeEnv(`    auth: { allowedAccounts: [00000000-0000-4000-8000-00000000E1E1] }\n`);
    const target = targetKeepingCache({}, env);
    const result = await makePhase2Runner({
      login: scriptedLogin(SUCCESS).login,
      handoff: () => undefined,
      stage: true,
    })(target.ctx);
    expect(result.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(target.actions.map((a) => a.kind)).toEqual(['stageTokenCache', 'stagedTokenCacheDigest']);
    expect(result.checks[1]!.observed).toContain(`(sha256 ${sha(CACHE)})`);
  });
});
