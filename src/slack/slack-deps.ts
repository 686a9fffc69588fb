import type { BotServices } from '../lifecycle/lifecycle-deps.ts';
import type { Chat } from '../outbox/chat-port.ts';
import type { OutboxStore } from '../store/outbox.ts';
import type { RefreshableDirectory } from './groups.ts';

/** The shared services, and the Slack client the adapter itself calls (App Home, ephemerals). */
export interface SlackServices extends BotServices {
  readonly chat: Chat;
  readonly groups: RefreshableDirectory;
  readonly outbox: OutboxStore;
}
