import { z } from 'zod';

/**
 * Identifiers that must never be mixed up are branded: a plain string cannot be
 * passed where an environment name or a Slack user id is expected.
 */
export const EnvNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must match ^[a-z][a-z0-9-]{0,31}$ (lower case, digits, dashes)')
  .brand<'EnvName'>();
export type EnvName = z.infer<typeof EnvNameSchema>;

export const RunIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be a run id')
  .brand<'RunId'>();
export type RunId = z.infer<typeof RunIdSchema>;

/** Slack user (`U…`/`W…`) ids. */
export const SlackUserIdSchema = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U…)')
  .brand<'SlackUserId'>();
export type SlackUserId = z.infer<typeof SlackUserIdSchema>;

/** Slack user-group (`S…`) ids. */
export const SlackGroupIdSchema = z
  .string()
  .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user-group id (S…)')
  .brand<'SlackGroupId'>();
export type SlackGroupId = z.infer<typeof SlackGroupIdSchema>;

/** Slack channel ids (`C…` public, `G…` private, `D…` direct). */
export const SlackChannelIdSchema = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id (C…)')
  .brand<'SlackChannelId'>();
export type SlackChannelId = z.infer<typeof SlackChannelIdSchema>;

export function isEnvName(value: string): value is EnvName {
  return EnvNameSchema.safeParse(value).success;
}
