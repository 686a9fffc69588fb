/**
 * The payloads Slack delivers to an app, shaped as Slack sends them (HTTP and Socket Mode carry
 * the same payloads). Defaults are harmless: the default response_url points at a closed port
 * on loopback, so a bot that responds without a test having asked for it fails fast locally.
 */

/** The fake workspace's team and app: its auth.test and the payloads it signs agree, as Slack's do. */
export const DEFAULT_TEAM = 'T0FAKETEAM1';
export const DEFAULT_APP = 'A0FAKEAPP01';
const DEFAULT_RESPONSE_URL = 'http://127.0.0.1:9/commands/unset';
/** Slack still sends the deprecated verification token; Bolt ignores it. */
const VERIFICATION_TOKEN = 'fakeVerificationToken0001';

export interface SlashCommandInput {
  /** Default `/pc-verify`. */
  readonly command?: string;
  readonly text: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly channelName?: string;
  readonly teamId?: string;
  readonly apiAppId?: string;
  readonly responseUrl?: string;
  readonly triggerId?: string;
}

/** The form fields of a slash command (also the Socket Mode `slash_commands` payload). */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: 'fake-team',
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'pc-verify',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command ?? '/pc-verify',
    text: input.text,
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? DEFAULT_RESPONSE_URL,
    trigger_id: input.triggerId ?? triggerId(),
  };
}

export interface BlockActionsInput {
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  /** ts of the message that carries the button. */
  readonly messageTs: string;
  /** The thread that message is a reply in; Slack names it in `container` and `message`. */
  readonly threadTs?: string;
  readonly actionId: string;
  readonly value: string;
  readonly blockId?: string;
  /** The message as the person saw it (text/blocks); Slack includes it in the payload. */
  readonly message?: Record<string, unknown>;
  readonly buttonText?: string;
  readonly teamId?: string;
  readonly apiAppId?: string;
  readonly triggerId?: string;
  readonly responseUrl?: string;
}

/** A `block_actions` payload for one button click. */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const userName = input.userName ?? input.userId.toLowerCase();
  return {
    type: 'block_actions',
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    },
    trigger_id: input.triggerId ?? triggerId(),
    team: { id: teamId, domain: 'fake-team' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: 'pc-verify' },
    message: {
      type: 'message',
      ts: input.messageTs,
      text: '',
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
      ...input.message,
    },
    state: { values: {} },
    response_url: input.responseUrl ?? DEFAULT_RESPONSE_URL.replace('/commands/', '/actions/'),
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        text: { type: 'plain_text', text: input.buttonText ?? input.actionId, emoji: true },
        value: input.value,
        type: 'button',
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
}

export interface ViewSubmissionInput {
  readonly userId: string;
  readonly userName?: string;
  /** The modal as views.open returned it (FakeSlackApi.modals()). */
  readonly view: Record<string, unknown> & { readonly id: string };
  /** What the person typed: block_id → action_id → value (plain_text_input). */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly teamId?: string;
  readonly apiAppId?: string;
  readonly triggerId?: string;
}

/** A `view_submission` payload: the person pressed the modal's submit button. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  const userName = input.userName ?? input.userId.toLowerCase();
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(input.values ?? {})) {
    values[blockId] = Object.fromEntries(
      Object.entries(actions).map(([actionId, value]) => [actionId, { type: 'plain_text_input', value }]),
    );
  }
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake-team' },
    user: { id: input.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? triggerId(),
    view: { ...input.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface AppHomeOpenedInput {
  readonly userId: string;
  /** The DM channel between the app and the person (FakeSlackApi.dmOf). */
  readonly channelId: string;
  readonly tab?: 'home' | 'messages';
}

export function appHomeOpenedEvent(input: AppHomeOpenedInput): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: input.userId,
    channel: input.channelId,
    tab: input.tab ?? 'home',
    event_ts: `${(Date.now() / 1000).toFixed(6)}`,
  };
}

export interface EventEnvelopeInput {
  readonly teamId?: string;
  readonly apiAppId?: string;
  /** The bot's user id (FakeSlackApi.identity.botUserId); Slack lists it in `authorizations`. */
  readonly botUserId: string;
}

/** Wraps an event the way the Events API delivers it (`type: event_callback`). */
export function eventCallback(
  event: Record<string, unknown>,
  input: EventEnvelopeInput,
): Record<string, unknown> {
  const teamId = input.teamId ?? DEFAULT_TEAM;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: input.apiAppId ?? DEFAULT_APP,
    event,
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: input.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** Fresh, as Slack hands one out with every interaction (views.open takes it within 3 s, once). */
export function triggerId(nowMs = Date.now()): string {
  return `${nowMs}.${Math.floor(Math.random() * 1e12)}.${Math.random().toString(16).slice(2, 18)}`;
}
