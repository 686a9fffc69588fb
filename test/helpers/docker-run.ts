import { verifyInTerminal } from '../../src/cli/run.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import type { PhaseNumber } from '../../src/domain/phase.ts';
import type { RunReport } from '../../src/domain/run.ts';
import type { DockerWorld } from './docker-world.ts';

export interface CliRun {
  readonly report: RunReport;
  /** What the terminal showed: progress, the device code and the results template. */
  readonly output: string;
}

/**
 * A run as `pc-verify run <env>` does it (same composition root, real MSAL Node), the device code
 * approved at the fake Azure AD `approveAfterMs` after it was shown, as a person would.
 */
export async function runAsCli(
  world: DockerWorld,
  env: EnvironmentConfig,
  options: { phases?: readonly PhaseNumber[]; approveAfterMs?: number } = {},
): Promise<CliRun> {
  const lines: string[] = [];
  const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t) };
  const report = await verifyInTerminal(env, options.phases ?? [0, 1, 2, 3], io, {
    dispatcher: world.trust,
    onHandoff: (handoff) => {
      // A person's delay, for bench/real-docker.ts to time a run as one is really done; tests pass none.
      setTimeout(() => world.aad.approve(handoff.userCode), options.approveAfterMs ?? 0);
    },
    confirmFlagOff: () => Promise.resolve(true),
  });
  return { report, output: lines.join('\n') };
}

/** Every check as `id status`, with what was seen and the hint for the ones that did not pass. */
export function checkLines(report: RunReport): string[] {
  return report.phases.flatMap((phase) =>
    phase.checks.map((c) =>
      c.status === 'pass' ? `${c.id} pass` : `${c.id} ${c.status}: ${c.observed} | hint: ${c.hint ?? ''}`,
    ),
  );
}
