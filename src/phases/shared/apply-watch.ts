import { z } from 'zod';
import { FLAG_VAR } from '../../config/expect.ts';
import type { ApplyMode, Containers, ServiceState } from '../../hunter/port.ts';
import { type PhaseContext, say } from '../context.ts';
import { parseJson } from './http-json.ts';

/** Why the flag, once applied, is not what the file says: a person reads `observed` and `hint`. */
export interface Disagreement {
  readonly observed: string;
  readonly hint: string;
}

const LAST_LINES = 15;

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
  for (const state of now.value) {
    const before = baseline.find((b) => b.service === state.service);
    const restarted = before !== undefined && state.restartCount > before.restartCount;
    if (state.status === 'running' && !restarted) continue;
    const lines = await containers.lastLines(state.service, LAST_LINES, ctx.signal);
    const what = restarted
      ? `${state.name} restarted by itself (${state.restartCount - before.restartCount}×, last exit code ${state.exitCode})`
      : `${state.name} is ${state.status} (exit code ${state.exitCode})`;
    return {
      observed: `${what} while pc-verify waited for /healthz after the apply${lines ? `; its last lines:\n${lines}` : ''}`,
      hint: `The ${state.service} does not stay up with the new env file: its last log lines say why. Fix that (or set the flag back), then run again.`,
    };
  }
  return undefined;
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
  if (containers) {
    const seen = await containers.states(ctx.signal);
    if (seen.ok) {
      const stale = seen.value.find(
        (s) => s.flagAtCreate !== undefined && s.flagAtCreate.toLowerCase() !== value,
      );
      if (stale) return staleEnv(stale, value, mode);
      const down = seen.value.find((s) => s.status !== 'running');
      if (down) {
        return {
          observed: `${down.name} is ${down.status} (exit code ${down.exitCode}) after the apply`,
          hint: `Start it and look at its logs for why it stopped (\`docker compose logs ${down.service}\`), then run again.`,
        };
      }
    }
  }
  const health = z
    .object({ partner_center_enabled: z.boolean() })
    .safeParse(((j) => (j.ok ? j.value : undefined))(parseJson(healthBody)));
  if (health.success && health.data.partner_center_enabled !== enabled) {
    return {
      observed: `/healthz says partner_center_enabled: ${health.data.partner_center_enabled}, the env file says ${FLAG_VAR}=${value}`,
      hint:
        mode === 'recreate'
          ? 'The api does not take the flag from this env file even when recreated: check driver.envFile and how the file reaches the containers.'
          : `The api kept its old value through the restart. ${say(ctx).restartKeepsOldEnv}`,
    };
  }
  return undefined;
}

function staleEnv(stale: ServiceState, value: string, mode: ApplyMode | undefined): Disagreement {
  const had = `${stale.name} was created with ${FLAG_VAR}=${stale.flagAtCreate}`;
  if (mode === 'restart') {
    return {
      observed: `${had} (env_file: or environment:), the env file says ${value}; restart keeps it`,
      hint: 'Set driver.apply: recreate or auto: only recreating the containers re-reads the file.',
    };
  }
  return {
    observed: `${had} even after it was recreated, the env file says ${value}`,
    hint: `The value does not come from this env file: look for a fixed \`${FLAG_VAR}\` under \`environment:\` or another \`env_file:\` in the compose file.`,
  };
}
