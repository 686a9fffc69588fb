import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { CheckStatus } from '../domain/check.ts';
import type { RunObserver } from '../engine/run-events.ts';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** Progress on stderr while a run goes on, so stdout stays the results (or JSON) alone. */
export function terminalProgress(write: (line: string) => void): RunObserver {
  return (event) => {
    switch (event.kind) {
      case 'phase_started':
        write(`\n▶ ${event.phase === 'off' ? 'Flag OFF' : `Phase ${event.phase}`} — ${event.title}`);
        return;
      case 'check_started':
        write(`  … ${event.id}  ${event.title}`);
        return;
      case 'check_finished': {
        const r = event.result;
        const first = r.observed.split('\n')[0] ?? '';
        write(`  ${MARK[r.status]} ${r.id}  ${r.status.toUpperCase()} in ${r.ms} ms — ${first}`);
        if (r.status === 'fail' && r.hint) write(`      next: ${r.hint}`);
        return;
      }
      case 'phase_finished':
        write(`  Phase ${event.result.phase}: ${event.result.status.toUpperCase()}`);
        return;
      case 'flag_changed':
        write(`  ⚑ ${event.why}`);
        return;
      case 'login_handed_off':
        write(`  ⏳ waiting for the device-code login (until ${event.expiresAt.toISOString()})`);
        return;
      case 'finished':
        write(`\n■ ${event.report.env}: ${event.report.verdict}`);
        return;
    }
  };
}

/** The device code, to the person at this terminal (their own screen: the terminal's DM). */
export function terminalHandoff(
  write: (line: string) => void,
  then?: (handoff: DeviceCodeHandoff) => void | Promise<void>,
): (handoff: DeviceCodeHandoff) => Promise<void> {
  return async (handoff) => {
    write(`\n  To sign in, open ${handoff.verificationUri} and enter the code ${handoff.userCode}`);
    write(`  (the code expires at ${handoff.expiresAt.toISOString()})\n`);
    await then?.(handoff);
  };
}
