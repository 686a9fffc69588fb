import { z } from 'zod';

/** The parts of the Engine API's answers the driver reads (API 1.41, docker 20.10 and later). */

export const ContainerSummary = z.object({
  Id: z.string().min(1),
  Names: z.array(z.string()).default([]),
  State: z.string().default(''),
  Labels: z.record(z.string(), z.string()).nullable().default({}),
  Created: z.number().default(0),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;
export const ContainerList = z.array(ContainerSummary);

export const ContainerInspect = z.object({
  Id: z.string().min(1),
  Name: z.string().default(''),
  RestartCount: z.number().int().default(0),
  State: z.object({
    Status: z.string(),
    Running: z.boolean().default(false),
    Restarting: z.boolean().default(false),
    ExitCode: z.number().int().default(0),
    Error: z.string().default(''),
    StartedAt: z.string().default(''),
  }),
  Config: z.object({ Env: z.array(z.string()).nullable().default([]) }),
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

export const ExecCreated = z.object({ Id: z.string().min(1) });

export const ExecInspect = z.object({
  Running: z.boolean(),
  ExitCode: z.number().int().nullable(),
});

/** What the daemon says when it refuses a request. */
export const DaemonError = z.object({ message: z.string() });
