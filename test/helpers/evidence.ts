import { randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from '../../sim/slack/index.ts';

/**
 * Sentinel secrets: one marker per test run (set by global-setup), planted in every secret the
 * tests hand the bot — Slack signing secret and tokens, Azure AD device codes and tokens, the
 * database password. Logs and Slack traffic are kept as evidence; global-setup's teardown
 * scans all of it for the marker once every test file has finished.
 */
export const SENTINEL = sentinelOfThisRun();

function sentinelOfThisRun(): string {
  const planted = process.env.PCV_TEST_SENTINEL;
  // Under vitest, global-setup sets it; a fresh one here would make the final scan look for
  // the wrong marker and pass whatever leaked.
  if (planted) return planted;
  if (process.env.VITEST)
    throw new Error('PCV_TEST_SENTINEL is not set: test/helpers/global-setup.ts plants it');
  return `PCVSENTINEL${randomBytes(6).toString('hex')}`;
}

export const EVIDENCE_DIR = fileURLToPath(new URL('../../.tmp/evidence/', import.meta.url));

export const PLANTED = {
  signingSecret: `signing-${SENTINEL}-0123456789`,
  botToken: `xoxb-${SENTINEL}-bot`,
  appToken: `xapp-1-${SENTINEL}-app`,
  /** Put into every device code and token the fake Azure AD issues. */
  aadTokenMark: `${SENTINEL}-aad-`,
  databasePassword: `${SENTINEL}-db`,
  /** Lines of Hunter's `.env` beside the Partner Center block (what Phase 0's printenv shows too). */
  envFileLines: [`HUNTER_SECRET_KEY=${SENTINEL}-envfile`, `SMTP_PASSWORD=${SENTINEL}-smtp`],
} as const;

/** The same database, with the planted password (the local servers trust the connection and ignore it). */
export function withPlantedPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password !== '') return databaseUrl;
  if (url.username === '') url.username = 'postgres';
  url.password = PLANTED.databasePassword;
  return url.toString();
}

/** Keeps text a test saw (logs, Slack traffic) for the final sentinel scan. */
export async function keepEvidence(kind: string, text: string): Promise<void> {
  if (text === '') return;
  await mkdir(EVIDENCE_DIR, { recursive: true });
  await appendFile(join(EVIDENCE_DIR, `${kind}-${process.pid}.txt`), `${text}\n`);
}

/** Everything the bot sent Slack: Web API calls (without their token) and response_url posts. */
export function slackTraffic(slack: FakeSlack): string {
  return [...slack.api.calls(), ...slack.api.responses()].map((entry) => JSON.stringify(entry)).join('\n');
}
