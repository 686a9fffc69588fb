import { z } from 'zod';
import { EnvNameSchema, RunIdSchema } from '../domain/ids.ts';
import { parseValue } from './codec.ts';

/**
 * `start`: Phase 0 onward. `confirmed`: the same, after the prod outage confirmation. `phase3`:
 * after an approval. `reconcile`: a run nobody holds any more while its flag may be half-switched
 * (the reaper asks): a worker goes on from where its state says, settling the flag. `login`:
 * a sign-in renewal (Phase 2 alone, the flag untouched). `window`: a run that waited for its
 * change window, queued by the reaper once the window is open.
 */
export const RunStepSchema = z.enum(['start', 'confirmed', 'phase3', 'reconcile', 'login', 'window']);
export type RunStep = z.infer<typeof RunStepSchema>;

/**
 * What a job asks a worker to do. A job carries ids only — never a code or a token: the run's
 * state lives in the RunStore, and the job says "move this run on from where it stands".
 */
export const JobDataSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run'),
    runId: RunIdSchema,
    step: RunStepSchema,
    /** Makes a reconcile job's id unique per attempt (the run's version when it was asked for). */
    nonce: z.string().optional(),
  }),
  z.object({
    kind: z.literal('off'),
    offId: z.string(),
    env: EnvNameSchema,
    by: z.string(),
    channel: z.string(),
    rootTs: z.string().optional(),
    /** How many of the job's stalls (an attempt whose worker went away) were said in its thread. */
    stallsSaid: z.number().int().nonnegative().optional(),
  }),
]);
export type JobData = Readonly<z.infer<typeof JobDataSchema>>;

/** A job's data as BullMQ hands it back from Redis, checked: a job of another version is a clear error. */
export function readJobData(data: unknown, jobId: string | undefined): JobData {
  return parseValue(JobDataSchema, data, `job ${jobId ?? '(no id)'}`);
}
