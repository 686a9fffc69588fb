import type { Dispatcher } from 'undici';
import { prepareSession } from '../engine/prepare-session.ts';
import type { ProbeTargetFactory } from './watch-job.ts';

/**
 * The same adapters a run uses (driver, HTTP, the env file's secrets in the redactor), opened
 * for a probe. Nothing here can sign in or record the flag: a probe only reads.
 */
export function probeTargets(dispatcher?: Dispatcher): ProbeTargetFactory {
  return async (env, signal) => {
    const session = await prepareSession({
      env,
      signal,
      observer: () => undefined,
      handoff: () => {
        throw new Error('a watch probe never signs in');
      },
      ...(dispatcher ? { dispatcher } : {}),
    });
    return { target: session.ctx.target, redact: session.redact };
  };
}
