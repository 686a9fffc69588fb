import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, type JobData, queueNameOf } from '../../src/lifecycle/run-queue.ts';
import { REDIS_URL } from './services.ts';

/** The deployment's BullMQ queue as a test sees it (to add a job, look at one), and its closing. */
export function openRunQueue(deployment: string): { queue: Queue<JobData>; close: () => Promise<void> } {
  const bull = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<JobData>(queueNameOf(deployment), {
    connection: bull,
    prefix: bullPrefix(deployment),
  });
  return {
    queue,
    close: async () => {
      await queue.close();
      bull.disconnect();
    },
  };
}
