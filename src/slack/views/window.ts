import type { WindowNote } from '../../domain/window.ts';
import { type Language, translator } from '../../i18n/index.ts';
import type { RunNotice } from '../../outbox/run-notices.ts';
import type { Block } from '../chat.ts';
import { decisionReply } from './approval.ts';
import { escapeMrkdwn, section } from './format.ts';

type Surface = 'approval' | 'waiting';

/**
 * Why Phase 3 does not start now, in the deployment's language, times in the window's zone
 * (docs/architecture.md#change-windows). The freeze's reason is the config's text: escaped.
 */
export function windowWords(note: WindowNote, surface: Surface, language: Language = 'en'): string {
  const t = translator(language, note.zone);
  if (!note.opensAt) return t('window.never_opens');
  const when = new Date(note.opensAt);
  if (note.freeze) {
    const fields = {
      when,
      until: new Date(note.freeze.until),
      zone: note.zone,
      reason: escapeMrkdwn(note.freeze.reason),
    };
    return t(surface === 'approval' ? 'window.frozen_approval' : 'window.waiting_frozen', fields);
  }
  return t(surface === 'approval' ? 'window.closed_approval' : 'window.waiting', { when, zone: note.zone });
}

/** The approval request with the window's note under its first section, when Phase 3 must wait. */
export function withWindowNote<T extends { text: string; blocks: Block[] }>(
  request: T,
  note: WindowNote | undefined,
  language?: Language,
): T {
  if (!note) return request;
  const [first, ...rest] = request.blocks;
  const line = section(`:calendar: ${windowWords(note, 'approval', language)}`);
  return { ...request, blocks: first ? [first, line, ...rest] : [line] };
}

/** The thread's line when Phase 3 waits for the window, or when it opened. */
export function windowReplyText(note: WindowNote | undefined, language: Language = 'en'): string {
  if (!note) return `:calendar: ${translator(language)('window.opened')}`;
  return `:calendar: ${windowWords(note, 'waiting', language)}`;
}

/** The decision's reply; approved while the window is closed, it says Phase 3 waits for it. */
export function decisionWords(
  notice: Extract<RunNotice, { kind: 'approval_decided' }>,
  language: Language = 'en',
): string {
  if (notice.window && notice.decision === 'approved')
    return `:ballot_box_with_check: ${translator(language)('window.approved', { by: `<@${notice.by}>` })}`;
  return decisionReply(translator(language), notice.decision, notice.by, notice.purpose, notice.reason);
}
