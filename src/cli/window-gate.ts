import type { EnvironmentConfig } from '../config/config.ts';
import type { PhaseNumber } from '../domain/phase.ts';
import { windowNote } from '../gates/change-window.ts';
import { translator } from '../i18n/index.ts';
import { UsageError } from './exit-codes.ts';

/**
 * A terminal run obeys the change windows and freezes as the bot does (docs/architecture.md#change-windows):
 * Phase 3 (the flag ON) does not start outside a window or inside a freeze. `--break-glass`
 * overrides it; the override is then part of the break-glass reason, so its audit entry and the
 * review request say what was overridden. Answers the reason to record, or refuses (exit 2).
 */
export function windowOverride(
  env: EnvironmentConfig,
  phases: readonly PhaseNumber[],
  breakGlass: string | undefined,
  now: Date,
): string | undefined {
  if (!phases.includes(3)) return breakGlass;
  const note = windowNote(env.policy, now);
  if (!note) return breakGlass;
  const t = translator(env.language ?? 'en', note.zone);
  const why = !note.opensAt
    ? t('cli.window.never')
    : note.freeze
      ? t('cli.window.frozen', {
          until: new Date(note.freeze.until),
          zone: note.zone,
          reason: note.freeze.reason,
        })
      : t('cli.window.closed', { when: new Date(note.opensAt), zone: note.zone });
  if (breakGlass === undefined) throw new UsageError(t('cli.window.refused', { env: env.name, why }));
  return t('cli.window.overridden', { reason: breakGlass, why });
}
