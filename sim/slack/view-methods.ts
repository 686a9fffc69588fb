import { validateBlocks } from './blocks.ts';
import { stringArg } from './http-body.ts';
import { slackId } from './ids.ts';
import { fail, type MethodSpec } from './method-types.ts';
import type { FakeModal, Workspace } from './workspace.ts';

/** Slack: a trigger_id is good for 3 seconds, and for one views.open. */
export const TRIGGER_LIFETIME_MS = 3_000;
const MAX_MODAL_BLOCKS = 100;
const MAX_TITLE = 24;
const MAX_PRIVATE_METADATA = 3_000;

/**
 * Trigger ids the fake's payload builders hand out start with the millisecond they were issued
 * (`<ms>.<n>.<hex>`), so the fake can age one without having issued it itself.
 */
function triggerIssuedAt(trigger: string): number | undefined {
  const match = /^(\d{13})\.\d+\.[0-9a-f]+$/.exec(trigger);
  return match ? Number(match[1]) : undefined;
}

function checkTrigger(ws: Workspace, trigger: string | undefined): string | undefined {
  const issuedAt = trigger === undefined ? undefined : triggerIssuedAt(trigger);
  if (trigger === undefined || issuedAt === undefined) return 'invalid_trigger_id';
  if (ws.nowMs() - issuedAt > TRIGGER_LIFETIME_MS) return 'expired_trigger_id';
  if (!ws.exchangeTrigger(trigger)) return 'exchanged_trigger_id';
  return undefined;
}

function plainText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const text = (value as { type?: unknown; text?: unknown }).text;
  return (value as { type?: unknown }).type === 'plain_text' && typeof text === 'string' ? text : undefined;
}

/** The modal checks Slack makes that a bot is likely to trip: title, submit with inputs, sizes. */
function modalErrors(view: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (view.type !== 'modal') errors.push('must be modal [json-pointer:/view/type]');
  const title = plainText(view.title);
  if (title === undefined || title.length === 0 || title.length > MAX_TITLE)
    errors.push(`must be plain_text of 1 to ${MAX_TITLE} characters [json-pointer:/view/title]`);
  const verdict = validateBlocks(view.blocks, MAX_MODAL_BLOCKS);
  if (verdict.kind === 'invalid_blocks_format') errors.push('must be an array [json-pointer:/view/blocks]');
  if (verdict.kind === 'invalid_blocks')
    errors.push(...verdict.errors.map((e) => e.replace('/blocks', '/view/blocks')));
  const blocks = Array.isArray(view.blocks) ? (view.blocks as { type?: unknown }[]) : [];
  if (blocks.some((b) => b?.type === 'input') && plainText(view.submit) === undefined)
    errors.push('must provide submit when the view has input blocks [json-pointer:/view/submit]');
  const metadata = view.private_metadata;
  if (metadata !== undefined && (typeof metadata !== 'string' || metadata.length > MAX_PRIVATE_METADATA))
    errors.push(`must be at most ${MAX_PRIVATE_METADATA} characters [json-pointer:/view/private_metadata]`);
  return errors;
}

const viewsOpen: MethodSpec = {
  scope: undefined,
  tokenType: 'bot',
  handle({ ws, args }) {
    const view = args.view;
    if (typeof view !== 'object' || view === null || Array.isArray(view))
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      });
    const errors = modalErrors(view as Record<string, unknown>);
    if (errors.length > 0)
      return fail('invalid_arguments', {
        response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
      });
    const triggerProblem = checkTrigger(ws, stringArg(args, 'trigger_id'));
    if (triggerProblem !== undefined) return fail(triggerProblem);
    const modal: FakeModal = {
      ...(view as Record<string, unknown>),
      id: slackId('V'),
      team_id: ws.identity.teamId,
      app_id: ws.identity.appId,
      bot_id: ws.identity.botId,
      private_metadata: String((view as { private_metadata?: unknown }).private_metadata ?? ''),
      callback_id: String((view as { callback_id?: unknown }).callback_id ?? ''),
      state: { values: {} },
      hash: `${Math.floor(ws.nowMs() / 1000)}.${slackId('V').slice(1).toLowerCase()}`,
    };
    ws.openModal(modal);
    return { ok: true, view: modal };
  },
};

export const VIEW_METHODS: Readonly<Record<string, MethodSpec>> = { 'views.open': viewsOpen };
