import type { FakeSlackApi } from '../slack/index.ts';
import {
  appHomeOpenedBody,
  blockActionsBody,
  postSigned,
  type SlackRequestBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../slack/sign.ts';
import type { ConsoleMemory } from './local-ephemerals.ts';
import { CHANNEL, personById } from './people.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export interface Click {
  readonly user: string;
  readonly channel: string;
  readonly ts: string;
  readonly actionId: string;
  readonly value: string;
  readonly blockId: string;
  readonly label: string;
}

/**
 * The console's way into the bot: signed Slack requests to the same HTTP receiver as
 * production (`/slack/events`). The signing secret stays here, never in the page.
 */
export class BotDoor {
  constructor(
    private readonly botUrl: string,
    private readonly secret: string,
    private readonly api: FakeSlackApi,
    private readonly memory: ConsoleMemory,
  ) {}

  async command(user: string, line: string): Promise<void> {
    const [command = '', ...rest] = line.trim().split(/\s+/);
    if (command !== '/pc-verify') {
      this.memory.addAck({
        user,
        channel: CHANNEL.id,
        threadTs: undefined,
        blocks: undefined,
        text: `\`${command}\` is not a valid command. This console knows one: \`/pc-verify\`.`,
      });
      return;
    }
    const body = slashCommandBody({
      text: rest.join(' '),
      userId: user,
      userName: personById(user)?.name ?? user,
      channelId: CHANNEL.id,
      channelName: CHANNEL.name,
      ...this.envelope(),
      triggerId: this.memory.newTrigger(user),
      responseUrl: this.api.responseUrl('commands', { channel: CHANNEL.id, userId: user }),
    });
    await this.send(body, user, undefined);
  }

  async click(click: Click): Promise<void> {
    const message = this.api.message(click.channel, click.ts);
    const threadTs = message?.threadTs;
    const responseUrl = this.api.responseUrl('actions', {
      channel: click.channel,
      userId: click.user,
      messageTs: click.ts,
    });
    this.memory.rememberResponseUrl(responseUrl, threadTs);
    const body = blockActionsBody({
      userId: click.user,
      userName: personById(click.user)?.name ?? click.user,
      channelId: click.channel,
      messageTs: click.ts,
      actionId: click.actionId,
      value: click.value,
      blockId: click.blockId,
      buttonText: click.label,
      ...(message === undefined
        ? {}
        : {
            message: {
              text: message.text ?? '',
              ...(message.blocks ? { blocks: message.blocks } : {}),
              ...(threadTs ? { thread_ts: threadTs } : {}),
            },
          }),
      ...this.envelope(),
      triggerId: this.memory.newTrigger(click.user),
      responseUrl,
    });
    await this.send(body, click.user, threadTs, click.channel);
  }

  /** The submit button of a modal the bot opened for this person: a signed view_submission. */
  async submitView(submit: {
    user: string;
    viewId: string;
    values: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }): Promise<void> {
    const view = this.api.modals().find((m) => m.id === submit.viewId);
    if (view === undefined) return;
    const body = viewSubmissionBody({
      userId: submit.user,
      userName: personById(submit.user)?.name ?? submit.user,
      view,
      values: submit.values,
      ...this.envelope(),
      triggerId: this.memory.newTrigger(submit.user),
    });
    await this.send(body, submit.user, undefined);
  }

  async homeOpened(user: string): Promise<void> {
    const body = appHomeOpenedBody({
      userId: user,
      channelId: this.api.dmOf(user),
      botUserId: this.api.identity.botUserId,
      ...this.envelope(),
    });
    await this.send(body, user, undefined);
  }

  private envelope(): { teamId: string; apiAppId: string } {
    return { teamId: this.api.identity.teamId, apiAppId: this.api.identity.appId };
  }

  /** An ack with a body is what Slack shows the sender alone, where they acted. */
  private async send(
    body: SlackRequestBody,
    user: string,
    threadTs: string | undefined,
    channel: string = CHANNEL.id,
  ): Promise<void> {
    const res = await postSigned(`${this.botUrl}/slack/events`, body, {
      secret: this.secret,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (res.status !== 200) {
      this.memory.addAck({
        user,
        channel,
        threadTs,
        blocks: undefined,
        text: `The bot answered HTTP ${res.status}.`,
      });
      return;
    }
    const reply = parseAck(res.body);
    if (reply !== undefined) this.memory.addAck({ user, channel, threadTs, ...reply });
  }
}

function parseAck(
  raw: string,
): { text: string | undefined; blocks: readonly unknown[] | undefined } | undefined {
  if (raw.trim() === '') return undefined;
  try {
    const json: unknown = JSON.parse(raw);
    if (typeof json !== 'object' || json === null) return undefined;
    const { text, blocks } = json as { text?: unknown; blocks?: unknown };
    const t = typeof text === 'string' && text !== '' ? text : undefined;
    const b = Array.isArray(blocks) ? blocks : undefined;
    return t === undefined && b === undefined ? undefined : { text: t, blocks: b };
  } catch {
    return { text: raw, blocks: undefined };
  }
}
