import type { FlagRecord } from '../../store/flag-record.ts';
import { escapeMrkdwn, slackDate } from './format.ts';

/** The flag record as a person reads it (`status`, App Home): desired, observed, and any doubt. */
export function flagWords(record: FlagRecord | undefined, env: string): string {
  if (!record) return 'flag never switched by pc-verify';
  const observed = record.observed === 'unknown' ? 'unknown' : record.observed.toUpperCase();
  const verified = record.verifiedAt ? ` (verified ${slackDate(record.verifiedAt)})` : '';
  const via = record.owner.kind === 'run' ? `run ${record.owner.runId}` : 'kill switch';
  const words = `flag desired *${record.desired.toUpperCase()}* · observed ${observed}${verified} · via ${via}`;
  if (!record.unverified) return words;
  return `:rotating_light: *UNVERIFIED* since ${slackDate(record.unverified.since)} — ${escapeMrkdwn(record.unverified.why)} The flag may be ON: \`/pc-verify off ${env}\` turns it OFF and verifies it. ${words}`;
}
