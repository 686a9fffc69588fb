import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpenedBody, postSigned } from '../../sim/slack/sign.ts';
import type { FakeMessage } from '../../sim/slack/workspace.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { keysFor } from '../../src/store/keys.ts';
import { WatchStore } from '../../src/store/watch.ts';
import { pollUntil } from '../helpers/poll.ts';
import { compose } from '../sim/helpers/hunter.ts';
import { ALICE, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';

/** Short enough for a test, long enough for a probe (a logs read and a GET) to finish well inside it. */
const INTERVAL_MS = 1_500;
let world: BotWorld;
let watch: WatchStore;
let runId: RunId;
let postsAtRevocation = 0;

beforeAll(async () => {
  world = await startBotWorld({ watch: { interval: `${INTERVAL_MS}ms` } });
  watch = new WatchStore(world.redis, keysFor(world.config.deployment));
  runId = await world.start();
  world.aad.approve(await world.nextCode());
  const run = await world.finished(runId, 30_000);
  expect(run.state).toBe('passed');
  // Hunter's own schedule: beat sends the sync a little more often than the watch probes.
  world.sim.scheduleBeat(INTERVAL_MS / 3);
}, 60_000);
afterAll(async () => {
  world?.sim.scheduleBeat(false);
  await world?.stop();
});

/** Watch posts: replies in the thread of the environment's last run, also shown in the channel. */
function watchPosts(): FakeMessage[] {
  return world.slack.api.messages(CHANNEL).filter((m) => m.replyBroadcast);
}

function postMatching(pattern: RegExp, after = 0): Promise<FakeMessage> {
  return pollUntil(
    () =>
      watchPosts()
        .slice(after)
        .find((m) => pattern.test(m.text ?? '')),
    {
      timeoutMs: 6 * INTERVAL_MS + 10_000,
      what: `a watch post matching ${pattern}`,
    },
  );
}

/** The api's access log, as `docker compose logs api` prints it. */
async function apiLog(): Promise<string> {
  return (await compose(world.sim, ['logs', '--no-log-prefix', 'api'])).stdout;
}

function probesAtLeast(n: number) {
  return pollUntil(
    async () => {
      const state = await watch.get(STAGING);
      return state && state.probes >= n ? state : undefined;
    },
    { timeoutMs: 4 * INTERVAL_MS * Math.max(1, n) + 10_000, what: `${n} watch probes` },
  );
}

describe('the day-2 watch, with a short interval and the simulator', () => {
  it('probes a verified environment and stays quiet while it is healthy', async () => {
    const state = await pollUntil(
      async () => {
        const s = await watch.get(STAGING);
        return s?.status === 'healthy' && s.lastSyncAt ? s : undefined;
      },
      { timeoutMs: 20_000, what: 'a healthy probe that saw the sync' },
    );
    expect(state.cause).toBeUndefined();
    expect(watchPosts()).toEqual([]);
    const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pcv_watch_ok\{env="staging"\} 1$/m);
    expect(metrics).toMatch(/^pcv_watch_last_probe_timestamp_seconds\{env="staging"\} \d+/m);
    const status = await world.slash('status staging');
    expect(status.text).toMatch(/watch every 1500ms: \*healthy\* since/);
    await postSigned(
      `${world.bot.url}/slack/events`,
      appHomeOpenedBody({
        userId: ALICE,
        channelId: world.slack.api.dmOf(ALICE),
        botUserId: world.slack.api.identity.botUserId,
      }),
      { secret: SECRET },
    );
    const home = await pollUntil(() => world.slack.api.homeView(ALICE), { what: 'the Home view' });
    expect(JSON.stringify(home)).toContain('watch every 1500ms: *healthy* since');
  });

  it('reports a revoked token in the channel within an interval, naming /pc-verify login', async () => {
    const probesBefore = (await watch.get(STAGING))!.probes;
    postsAtRevocation = watchPosts().length;
    world.aad.revokeAllTokens();
    // Hunter's MSAL still holds the access token: Partner Center refuses it (401) first.
    const post = await postMatching(/sign-in no longer works/);
    // Within one interval, counted in probes: the one that may have been under way, then the next.
    expect((await watch.get(STAGING))!.probes).toBeLessThanOrEqual(probesBefore + 2);
    const root = await world.root(runId);
    expect(post.threadTs).toBe(root.ts);
    expect(post.text).toContain('`/pc-verify login staging`');
    expect(post.text).toContain('Partner Center refused the sign-in (HTTP 401');
    const state = await watch.get(STAGING);
    expect(state).toMatchObject({ status: 'failing', cause: { kind: 'token' } });
    const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pcv_watch_ok\{env="staging"\} 0$/m);
    expect((await world.slash('status staging')).text).toContain('*FAILING* since');
  });

  it('posts nothing more while the state holds (its access token expired too), and its probes never write', async () => {
    // The token's hour is over: the sync now fails refreshing it (AADSTS50173), the same cause.
    world.aad.expireAccessTokens();
    const envBefore = await readFile(world.sim.envFile, 'utf8');
    const callsBefore = world.sim.composeCalls().length;
    const engineBefore = world.sim.engineCalls().length;
    const posts = watchPosts().length;
    const start = (await watch.get(STAGING))!.probes;
    await probesAtLeast(start + 3);
    expect(watchPosts()).toHaveLength(posts);
    expect(await readFile(world.sim.envFile, 'utf8')).toBe(envBefore);
    // The compose CLI is never run; through the Engine API only reads: the worker's logs and
    // lookups (container lists, inspects). No restart, exec, recreate or install.
    expect(world.sim.composeCalls().slice(callsBefore)).toEqual([]);
    const probeCalls = world.sim.engineCalls().slice(engineBefore);
    expect(probeCalls.filter((c) => c.startsWith('logs worker'))).not.toHaveLength(0);
    for (const call of probeCalls) expect(call).toMatch(/^(logs worker|GET )/);
  });

  it('takes `/pc-verify login staging`: a new code in the DM, the flag untouched, and the next probe is healthy', async () => {
    const posts = watchPosts().length;
    const envBefore = await readFile(world.sim.envFile, 'utf8');
    const ack = await world.slash('login staging');
    expect(ack.text).toMatch(/sign-in/i);
    const code = await world.nextCode();
    const dm = world.slack.api.dmOf(ALICE);
    await pollUntil(() => world.slack.api.messages(dm).find((m) => m.text?.includes(code)), {
      what: 'the DM with the new code',
    });
    world.aad.approve(code);
    const healthy = await postMatching(/healthy again/, posts);
    expect(healthy.text).toContain('sign-in no longer works');
    // One "failing", then one "healthy again": nothing in between, whatever the beat did.
    expect(
      watchPosts()
        .slice(postsAtRevocation)
        .map((m) => /healthy again/.test(m.text ?? '')),
    ).toEqual([false, true]);
    expect(await readFile(world.sim.envFile, 'utf8')).toBe(envBefore);
    expect(await watch.get(STAGING)).toMatchObject({ status: 'healthy' });
  });

  it('reports a hand edit of .env that turned the flag OFF (and a restart) as drift', async () => {
    const posts = watchPosts().length;
    const text = await readFile(world.sim.envFile, 'utf8');
    await writeFile(
      world.sim.envFile,
      text.replace('HUNTER_PARTNER_CENTER_ENABLED=true', 'HUNTER_PARTNER_CENTER_ENABLED=false'),
    );
    await world.sim.restart();
    const drift = await postMatching(/not in the state pc-verify verified/, posts);
    expect(drift.text).toContain('partner_center_enabled: false');
    expect(drift.text).toContain('`/pc-verify staging`');
    expect(drift.text).toContain('`/pc-verify off staging`');
    await writeFile(world.sim.envFile, text);
    await world.sim.restart();
    await postMatching(/healthy again/, posts + 1);
  });

  it('asks for a sync when none ran for two intervals (beat stopped), and judges what it printed', async () => {
    const syncRequests = async () =>
      ((await apiLog()).match(/"POST \/api\/referrals\/sync HTTP\/1\.1" 200/g) ?? []).length;
    world.sim.scheduleBeat(false);
    const before = await syncRequests();
    await pollUntil(async () => ((await syncRequests()) > before ? true : undefined), {
      timeoutMs: 6 * INTERVAL_MS + 10_000,
      what: 'the watch to ask for a sync',
    });
    // The sync asked for ran clean: that is the evidence (a probe whose asked-for sync did not
    // finish in time on a busy machine stays as it was, and the next one asks again).
    await pollUntil(async () => ((await watch.get(STAGING))?.status === 'healthy' ? true : undefined), {
      timeoutMs: 6 * INTERVAL_MS + 10_000,
      what: 'the watch healthy on the sync it asked for',
    });
    world.sim.scheduleBeat(INTERVAL_MS / 3);
  });

  it('reports a worker exception in the scheduled sync with the traceback’s last line', async () => {
    const posts = watchPosts().length;
    world.sim.setFaults({ workerExceptionWhenOn: true });
    const post = await postMatching(/raised an exception/, posts);
    expect(post.text).toContain("AttributeError: 'NoneType' object has no attribute 'get'");
    world.sim.setFaults({ workerExceptionWhenOn: false });
    await postMatching(/healthy again/, posts + 1);
  });

  it('shows a worker line that carries Slack markup as text: no ping, no link', async () => {
    const hostile = '<!channel> <https://evil.example/login|Sign in again here>';
    const posts = watchPosts().length;
    world.sim.setFaults({ workerExceptionWhenOn: true, workerExceptionMessage: hostile });
    const post = await postMatching(/raised an exception/, posts);
    const posted = JSON.stringify([post.text, post.blocks ?? []]);
    expect(posted).not.toContain('<!channel>');
    expect(posted).not.toContain('<https://evil');
    expect(post.text).toContain(
      '`AttributeError: &lt;!channel&gt; &lt;https://evil.example/login|Sign in again here&gt;`',
    );
    const status = (await world.slash('status staging')).text;
    expect(status).toContain('*FAILING* since');
    expect(status).not.toContain('<!channel>');
    expect(status).not.toContain('<https://evil');
    await postSigned(
      `${world.bot.url}/slack/events`,
      appHomeOpenedBody({
        userId: ALICE,
        channelId: world.slack.api.dmOf(ALICE),
        botUserId: world.slack.api.identity.botUserId,
      }),
      { secret: SECRET },
    );
    const home = await pollUntil(
      () => {
        const view = JSON.stringify(world.slack.api.homeView(ALICE) ?? '');
        return view.includes('FAILING') ? view : undefined;
      },
      { what: 'the Home view with the failing watch' },
    );
    expect(home).not.toContain('<!channel>');
    expect(home).not.toContain('<https://evil');
    world.sim.setFaults({ workerExceptionWhenOn: false, workerExceptionMessage: null });
    await postMatching(/healthy again/, posts + 1);
  });
});

describe('the watch when Partner Center is out of reach', () => {
  it('names it, with what httpx raised, and says when it is back', async () => {
    const posts = watchPosts().length;
    world.sim.setFaults({ partnerCenterUnreachable: true });
    const post = await postMatching(/cannot reach Partner Center/, posts);
    expect(post.text).toMatch(/httpx\.\w+Error/);
    world.sim.setFaults({ partnerCenterUnreachable: false });
    await postMatching(/healthy again/, posts + 1);
  });
});
