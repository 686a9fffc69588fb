import { describe, expect, it } from 'vitest';
import { runArgv } from '../../src/hunter/exec.ts';

const options = {
  cwd: process.cwd(),
  timeoutMs: 10_000,
  signal: new AbortController().signal,
  redact: (t: string) => t,
};

describe('runArgv: how a command ended', () => {
  it('tells a process killed by a signal from one that could not start', async () => {
    const killed = await runArgv([process.execPath, '-e', 'process.kill(process.pid, "SIGKILL")'], options);
    expect(killed).toMatchObject({ ok: false, reason: 'exit' });
    expect(!killed.ok && killed.message).toMatch(/was killed by SIGKILL$/);

    const missing = await runArgv(['/nonexistent/docker', 'compose', 'ps'], options);
    expect(missing).toMatchObject({ ok: false, reason: 'spawn' });
    expect(!missing.ok && missing.message).toMatch(/^`\/nonexistent\/docker compose ps` failed to start/);
  });
});
