import { z } from 'zod';
import type { Translate } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { escapeMrkdwn, section } from './format.ts';

export const REJECT_REASON_VIEW = 'reject_reason';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason_input';
/** Long enough for a sentence or two; the audit entry stays readable. */
export const MAX_REASON = 500;

/** What the modal carries from the click to its submission (Slack keeps it; the person never sees it). */
export const RejectContext = z.object({
  runId: z.string().max(100),
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  messageTs: z.string().regex(/^\d+\.\d+$/),
  threadTs: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
});
export type RejectContext = z.infer<typeof RejectContext>;

/** The modal Reject opens: an optional reason, kept in the audit trail. */
export function rejectReasonModal(t: Translate, env: string, at: RejectContext): Record<string, unknown> {
  return reasonModal(t, {
    callbackId: REJECT_REASON_VIEW,
    title: t('views.reason.rejectTitle'),
    submit: t('views.reason.rejectSubmit'),
    context: at,
    intro: t('views.reason.rejectIntro', { env: escapeMrkdwn(env) }),
    optional: true,
  });
}

/** A modal of one sentence and one reason box; `context` rides along to the submission. */
function reasonModal(
  t: Translate,
  m: {
    callbackId: string;
    title: string;
    submit: string;
    context: unknown;
    intro: string;
    optional: boolean;
  },
): Record<string, unknown> {
  const blocks: Block[] = [
    section(m.intro),
    {
      type: 'input',
      block_id: REASON_BLOCK,
      ...(m.optional ? { optional: true } : {}),
      label: {
        type: 'plain_text',
        text: m.optional ? t('views.reason.labelOptional') : t('views.reason.label'),
      },
      element: { type: 'plain_text_input', action_id: REASON_INPUT, multiline: true, max_length: MAX_REASON },
    },
  ];
  return {
    type: 'modal',
    callback_id: m.callbackId,
    title: { type: 'plain_text', text: m.title },
    submit: { type: 'plain_text', text: m.submit },
    close: { type: 'plain_text', text: t('views.reason.cancel') },
    private_metadata: JSON.stringify(m.context),
    blocks,
  };
}

/** The typed reason, one line, without control characters; undefined when left empty. */
export function cleanReason(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = [...raw]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('')
    .trim()
    .slice(0, MAX_REASON);
  return text.length > 0 ? text : undefined;
}

export const KILL_SWITCH_REASON_VIEW = 'kill_switch_reason';

/** What the kill switch's reason modal carries to its submission. */
export const KillSwitchContext = z.object({
  env: z.string().max(100),
  offId: z.string().regex(/^[a-z0-9]{4,40}$/),
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  messageTs: z.string().regex(/^\d+\.\d+$/),
});
export type KillSwitchContext = z.infer<typeof KillSwitchContext>;

/** The modal "Add a reason" opens on a kill switch message: the switch already acted. */
export function killSwitchReasonModal(t: Translate, at: KillSwitchContext): Record<string, unknown> {
  return reasonModal(t, {
    callbackId: KILL_SWITCH_REASON_VIEW,
    title: t('views.reason.killSwitchTitle'),
    submit: t('views.reason.killSwitchSubmit'),
    context: at,
    intro: t('views.reason.killSwitchIntro', { env: escapeMrkdwn(at.env) }),
    optional: false,
  });
}
