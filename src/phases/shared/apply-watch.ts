import { z } from 'zod';
import { FLAG_VAR } from '../../config/expect.ts';
import type { ApplyMode, Containers, ServiceState } from '../../hunter/port.ts';
import type { Translate } from '../../i18n/index.ts';
import { type PhaseContext, say, words } from '../context.ts';
import { parseJson } from './http-json.ts';

/** Why the flag, once applied, is not what the file says: a person reads `observed` and `hint`. */
export interface Disagreement {
  readonly observed: string;
  readonly hint: string;
}

const LAST_LINES = 15;
/**
 * What of those lines fits beside the rest of the observed text (the runner clips it at its
 * head): a traceback's last line names the error, so the lines are cut from the top.
 */
const LAST_LINES_CHARS = 700;

/**
 * A container that stopped or restarted by itself since the apply: seen on the next poll, not
 * at the end of `readyTimeout`. `baseline` is what the daemon said right after the apply.
 */
export async function deathSince(
  ctx: PhaseContext,
  containers: Containers,
  baseline: readonly ServiceState[],
): Promise<Disagreement | undefined> {
  const now = await containers.states(ctx.signal);
  if (!now.ok) return undefined;
  const t = words(ctx);
  for (const state of now.value) {
    const before = baseline.find((b) => b.service === state.service);
    const restarted = before !== undefined && state.restartCount > before.restartCount;
    if (state.status === 'running' && !restarted) continue;
    const lines = tailWithin(
      await containers.lastLines(state.service, LAST_LINES, ctx.signal),
      LAST_LINES_CHARS,
    );
    const { name, exitCode: code } = state;
    const what = restarted
      ? t('checks.containers.restartedItself', {
          name,
          times: state.restartCount - before.restartCount,
          code,
        })
      : t('checks.containers.state', { name, status: state.status, code });
    const observed = t('checks.containers.diedWaiting', { what });
    return {
      observed: lines ? t('checks.containers.lastLines', { observed, lines }) : observed,
      hint: t('checks.containers.diedHint', { service: state.service }),
    };
  }
  return undefined;
}

/** Whole lines from the end of `text`, as many as fit in `max` characters (at least the last one, cut). */
function tailWithin(text: string, max: number): string {
  const lines = text.trimEnd().split('\n');
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (size + line.length + 1 > max) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return kept.length > 0 ? kept.join('\n') : (lines.at(-1) ?? '').slice(-max);
}

/** After an apply: both containers' create-time environment and /healthz say what the file says. */
export async function disagreement(
  ctx: PhaseContext,
  enabled: boolean,
  mode: ApplyMode | undefined,
  healthBody: string,
): Promise<Disagreement | undefined> {
  const value = enabled ? 'true' : 'false';
  const { containers } = ctx.target;
  const t = words(ctx);
  if (containers) {
    const seen = await containers.states(ctx.signal);
    if (seen.ok) {
      const stale = seen.value.find(
        (s) => s.flagAtCreate !== undefined && s.flagAtCreate.toLowerCase() !== value,
      );
      if (stale) return staleEnv(stale, value, mode, t);
      const down = seen.value.find((s) => s.status !== 'running');
      if (down) {
        const state = t('checks.containers.state', {
          name: down.name,
          status: down.status,
          code: down.exitCode,
        });
        return {
          observed: t('checks.containers.downAfterApply', { state }),
          hint: t('checks.containers.downHint', { service: down.service }),
        };
      }
    }
  }
  const health = z
    .object({ partner_center_enabled: z.boolean() })
    .safeParse(((j) => (j.ok ? j.value : undefined))(parseJson(healthBody)));
  if (health.success && health.data.partner_center_enabled !== enabled) {
    const seenValue = String(health.data.partner_center_enabled);
    return {
      observed: t('checks.containers.healthDisagrees', {
        seen: seenValue,
        assignment: `${FLAG_VAR}=${value}`,
      }),
      hint:
        mode === 'recreate'
          ? t('checks.containers.recreatedIgnored')
          : t('checks.containers.keptOld', { ...say(ctx) }),
    };
  }
  return undefined;
}

function staleEnv(
  stale: ServiceState,
  value: string,
  mode: ApplyMode | undefined,
  t: Translate,
): Disagreement {
  const had = t('checks.containers.createdWith', {
    name: stale.name,
    assignment: `${FLAG_VAR}=${stale.flagAtCreate}`,
  });
  if (mode === 'restart') {
    return {
      observed: t('checks.containers.restartKeeps', { had, value }),
      hint: t('checks.containers.restartKeepsHint'),
    };
  }
  return {
    observed: t('checks.containers.evenRecreated', { had, value }),
    hint: t('checks.containers.evenRecreatedHint', { name: FLAG_VAR }),
  };
}
