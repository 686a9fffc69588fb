import { EnvNameSchema } from '../domain/ids.ts';
import { isListed } from '../gates/directory.ts';
import { type Message, message, translator } from '../i18n/index.ts';
import { breakGlassThread } from '../outbox/run-notices.ts';
import { auditCommand } from './audit-command.ts';
import type { ButtonAnswer, LifecycleDeps } from './lifecycle-deps.ts';

/** A click on a break-glass message's "Reviewed" button, as Slack reported it (the value is untrusted). */
export interface ReviewClick {
  readonly value: string;
  readonly userId: string;
  readonly channel: string;
}

/**
 * An approver of the environment says they looked at a break-glass: recorded once (the first
 * reviewer wins), audited (refusals too), and the message updated to name them.
 */
const said = (deps: LifecycleDeps, why: Message) => translator(deps.config.language ?? 'en')(why);

export async function reviewBreakGlass(deps: LifecycleDeps, click: ReviewClick): Promise<ButtonAnswer> {
  const [envText = '', id = ''] = click.value.split('/');
  const envName = EnvNameSchema.safeParse(envText);
  const env = envName.success ? deps.config.environments.get(envName.data) : undefined;
  if (!env || !/^[a-z0-9]{1,40}$/.test(id))
    return { accepted: false, why: said(deps, message('clicks.breakGlass.unnamed')) };
  // The audit trail in English; the clicker reads it in the deployment's language.
  const refuse = async (why: Message): Promise<ButtonAnswer> => {
    await auditCommand(deps, env.name, click.userId, 'break_glass.review', 'refused', translator('en')(why));
    return { accepted: false, why: said(deps, why) };
  };
  if (!(await isListed(env.policy.approvers, click.userId, deps.groups).catch(() => false)))
    return refuse(message('clicks.breakGlass.notApprover', { env: env.name }));
  const marked = await deps.breakGlass.markReviewed(env.name, id, click.userId, deps.now().toISOString());
  if (marked.kind === 'unknown') return refuse(message('clicks.breakGlass.unknown'));
  if (marked.kind === 'already')
    return {
      accepted: false,
      why: said(deps, message('clicks.breakGlass.already', { who: marked.glass.reviewedBy ?? '' })),
    };
  const glass = marked.glass;
  await auditCommand(
    deps,
    env.name,
    click.userId,
    'break_glass.review',
    'accepted',
    `reviewed break-glass ${glass.id} by ${glass.by} (${glass.action}): ${glass.reason}`,
    glass.runId,
  );
  await deps.notifier.notify(breakGlassThread(glass.id, click.channel), {
    kind: 'break_glass',
    env: env.name,
    id: glass.id,
    by: glass.by,
    reason: glass.reason,
    action: glass.action,
    approvers: env.policy.approvers,
    reviewedBy: click.userId,
  });
  return { accepted: true };
}
