import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type EnvironmentConfig, envFilePath } from '../config/config.ts';
import { FLAG_VAR } from '../config/expect.ts';
import type { RunRecord } from '../domain/run.ts';
import { windowNote } from '../gates/change-window.ts';
import { approvalRule, approverPrincipals } from '../gates/permissions.ts';
import { stepNotices } from '../outbox/step-notices.ts';
import { auditCommand } from './audit-command.ts';
import type { BotServices, LeaseSettings } from './lifecycle-deps.ts';

/**
 * The gate after Phase 2 (docs/architecture.md#the-runs-state-machine), for environments with `requireApproval` — and before a
 * sign-in renewal's Phase 2 with `loginRequiresApproval` (docs/architecture.md#the-day-2-watch), by the same rules: the run waits
 * in `awaiting_approval`, holding its environment but no worker and no job. The lease is
 * stretched to the approval time, so a run nobody decides on expires (the reaper ends it).
 * The request, the root message and the approval on the record are one store step: a crash
 * cannot leave a run awaiting an approval nobody was asked for.
 *
 * Seam for issue 7: the approval request with Approve/Reject buttons, the digest of what was
 * shown, the rules at click time; an accepted decision moves the run to `phase3` and enqueues
 * `{kind: 'run', runId, step: 'phase3'}` — the worker then goes on from Phase 3.
 */
export async function requestApproval(
  s: BotServices,
  lease: LeaseSettings,
  run: RunRecord,
): Promise<RunRecord | undefined> {
  const env = s.config.environments.get(run.env);
  if (!env) return undefined;
  const expires = new Date(s.now().getTime() + env.policy.approvalTtl).toISOString();
  // The request's message ts is added by the notifier once it is posted: a click counts only from there.
  const approval = {
    requestedAt: s.now().toISOString(),
    expiresAt: expires,
    // Of the results as stored (what the approver is shown), not of this process's copy.
    digest: await evidenceDigest((await s.runs.get(run.id)) ?? run, env),
  };
  // docs/architecture.md#change-windows: the request says when Phase 3 may start, if not at once.
  const window = run.purpose === 'login' ? undefined : windowNote(env.policy, s.now());
  const notices = stepNotices(s.notifier, (waiting) => [
    {
      kind: 'approval_requested',
      run: waiting,
      approvers: approverPrincipals(env),
      expiresAt: expires,
      rule: approvalRule(env),
      ...(window ? { window } : {}),
    },
    { kind: 'root', run: waiting },
  ]);
  const moved = await s.runs.awaitApproval(run.id, () => ({ approval }), notices.appends);
  if (!moved.ok) return undefined;
  await notices.told(moved.run);
  await s.runs.renewLease(run.env, run.id, env.policy.approvalTtl + lease.workingMs);
  await auditCommand(s, run.env, 'pc-verify', 'approval.requested', 'info', `expires ${expires}`, run.id);
  return moved.run;
}

const FLAG_LINE = new RegExp(`^\\s*(export\\s+)?${FLAG_VAR}\\s*=.*$`, 'gm');

function withoutFlagLine(text: string): string {
  return text.replace(FLAG_LINE, '');
}

/**
 * What the approval is for: the Phase 0–2 results, the environment's config and the env file
 * as they were when the request was made. Phase 3 refuses to run if any of them changed since.
 */
export async function evidenceDigest(run: RunRecord, env: EnvironmentConfig): Promise<string> {
  const phases = run.phases
    .filter((p) => p.phase < 3)
    // The sign-in's checks count with what they observed: the full account and the staged cache's
    // digest are what an approver of a prod identity approves.
    .map((p) => ({
      phase: p.phase,
      checks: p.checks.map((c) =>
        c.id.startsWith('auth.') ? [c.id, c.status, c.observed] : [c.id, c.status],
      ),
    }));
  // The flag line is the one the run itself writes (Phase 1 OFF, Phase 3 ON): a resumed Phase 3
  // must not void its own approval. Every other line, comment and value counts.
  const envFile = withoutFlagLine(
    await readFile(envFilePath(env.driver), 'utf8').catch(() => '(unreadable)'),
  );
  return createHash('sha256').update(JSON.stringify({ phases, env, envFile })).digest('hex');
}
