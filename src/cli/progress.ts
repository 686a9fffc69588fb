import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { CheckStatus } from '../domain/check.ts';
import type { RunObserver } from '../engine/run-events.ts';
import type { Translate } from '../i18n/index.ts';
import { stageTitle } from '../phases/checks.ts';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** Progress on stderr while a run goes on, so stdout stays the results (or JSON) alone. */
export function terminalProgress(write: (line: string) => void, t: Translate): RunObserver {
  return (event) => {
    switch (event.kind) {
      case 'phase_started': {
        const stage =
          event.phase === 'off'
            ? t('report.progress.offAgain')
            : t('report.progress.phase', { phase: event.phase });
        write(`\n▶ ${stage} — ${stageTitle(t, event.phase)}`);
        return;
      }
      case 'check_started':
        write(`  … ${event.id}  ${event.title}`);
        return;
      case 'check_finished': {
        const r = event.result;
        const first = r.observed.split('\n')[0] ?? '';
        const took = t('report.progress.checkFinished', { status: r.status.toUpperCase(), ms: r.ms });
        write(`  ${MARK[r.status]} ${r.id}  ${took} — ${first}`);
        if (r.status === 'fail' && r.hint) write(`      ${t('report.progress.next', { hint: r.hint })}`);
        return;
      }
      case 'phase_finished': {
        const { phase, status } = event.result;
        write(`  ${t('report.progress.phaseFinished', { phase, status: status.toUpperCase() })}`);
        return;
      }
      case 'flag_changed':
        write(`  ⚑ ${event.why}`);
        return;
      case 'login_handed_off':
        write(`  ⏳ ${t('report.progress.waitingForLogin', { until: event.expiresAt.toISOString() })}`);
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
  t: Translate,
  then?: (handoff: DeviceCodeHandoff) => void | Promise<void>,
): (handoff: DeviceCodeHandoff) => Promise<void> {
  return async (handoff) => {
    write(`\n  ${t('report.progress.signIn', { uri: handoff.verificationUri, code: handoff.userCode })}`);
    write(`  ${t('report.progress.codeExpires', { at: handoff.expiresAt.toISOString() })}\n`);
    await then?.(handoff);
  };
}
