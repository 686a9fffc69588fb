import { validateBlocks } from './blocks.ts';
import { stringArg } from './http-body.ts';
import { opaqueToken, slackId } from './ids.ts';
import { fail, type MethodSpec } from './method-types.ts';
import type { FakeUser, Identity } from './workspace.ts';

const MAX_VIEW_BLOCKS = 100;

const authTest: MethodSpec = {
  scope: undefined,
  tokenType: 'bot',
  handle({ ws }) {
    const id = ws.identity;
    return {
      ok: true,
      url: `https://${id.teamDomain}.slack.com/`,
      team: id.teamName,
      user: id.botName,
      team_id: id.teamId,
      user_id: id.botUserId,
      bot_id: id.botId,
      app_id: id.appId,
      is_enterprise_install: false,
    };
  },
};

const conversationsOpen: MethodSpec = {
  scope: 'im:write',
  tokenType: 'bot',
  handle({ ws, args }) {
    const channelRef = stringArg(args, 'channel');
    if (channelRef !== undefined) {
      const channel = ws.findChannel(channelRef);
      return channel === undefined ? fail('channel_not_found') : { ok: true, channel: { id: channel.id } };
    }
    const userIds = (stringArg(args, 'users') ?? '').split(',').filter((id) => id.length > 0);
    if (userIds.length === 0) return fail('users_list_not_supplied');
    // Group DMs (mpim) need a different scope and are not something pc-verify opens.
    if (userIds.length > 1) return fail('fake_slack_unsupported', { detail: 'group DMs are not simulated' });
    const user = ws.user(userIds[0] ?? '');
    if (user === undefined) return fail('user_not_found');
    const returnIm = args.return_im === true || args.return_im === 'true';
    return { ok: true, channel: returnIm ? imJson(user) : { id: user.dmChannelId } };
  },
};

function imJson(user: FakeUser): Record<string, unknown> {
  return {
    id: user.dmChannelId,
    created: Math.floor(Date.now() / 1000),
    is_im: true,
    is_org_shared: false,
    user: user.id,
    last_read: '0000000000.000000',
    latest: null,
    unread_count: 0,
    is_open: true,
  };
}

const viewsPublish: MethodSpec = {
  scope: undefined,
  tokenType: 'bot',
  handle({ ws, args }) {
    const userId = stringArg(args, 'user_id');
    if (userId === undefined) return invalidArguments('missing required field: user_id');
    if (ws.user(userId) === undefined) return fail('user_not_found');
    const view = args.view;
    if (typeof view !== 'object' || view === null || Array.isArray(view)) {
      return invalidArguments('missing required field: view [json-pointer:/view]');
    }
    const viewObject = view as Record<string, unknown>;
    if (viewObject.type !== 'home') return invalidArguments('must be home [json-pointer:/view/type]');
    const verdict = validateBlocks(viewObject.blocks, MAX_VIEW_BLOCKS);
    if (verdict.kind === 'invalid_blocks_format')
      return invalidArguments('must be an array [json-pointer:/view/blocks]');
    if (verdict.kind === 'invalid_blocks')
      return invalidArguments(...verdict.errors.map((e) => e.replace('/blocks', '/view/blocks')));
    const current = ws.homeView(userId);
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && current !== undefined && current.view.hash !== hash)
      return fail('hash_conflict');
    const viewId = current?.viewId ?? slackId('V');
    const published = homeViewJson(viewObject, viewId, ws.identity);
    ws.publishHome({ userId, view: published, viewId });
    return { ok: true, view: published };
  },
};

function homeViewJson(
  view: Record<string, unknown>,
  id: string,
  identity: Identity,
): Record<string, unknown> {
  return {
    id,
    team_id: identity.teamId,
    type: 'home',
    blocks: view.blocks,
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? '',
    hash: `${Math.floor(Date.now() / 1000)}.${opaqueToken(4)}`,
    app_id: identity.appId,
    bot_id: identity.botId,
  };
}

function invalidArguments(...errors: string[]) {
  return fail('invalid_arguments', { response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

const usergroupsUsersList: MethodSpec = {
  scope: 'usergroups:read',
  tokenType: 'bot',
  handle({ ws, args }) {
    const groupId = stringArg(args, 'usergroup');
    if (groupId === undefined) return invalidArguments('missing required field: usergroup');
    const members = ws.userGroup(groupId);
    return members === undefined ? fail('no_such_subteam') : { ok: true, users: [...members] };
  },
};

const usersInfo: MethodSpec = {
  scope: 'users:read',
  tokenType: 'bot',
  handle({ ws, args }) {
    const user = ws.user(stringArg(args, 'user') ?? '');
    if (user === undefined) return fail('user_not_found');
    return { ok: true, user: userJson(user, ws.identity) };
  },
};

function userJson(user: FakeUser, identity: Identity): Record<string, unknown> {
  return {
    id: user.id,
    team_id: identity.teamId,
    name: user.name,
    deleted: false,
    real_name: user.realName,
    tz: user.tz,
    is_admin: false,
    is_owner: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: Math.floor(Date.now() / 1000),
    profile: { real_name: user.realName, display_name: user.name, team: identity.teamId },
  };
}

const appsConnectionsOpen: MethodSpec = {
  scope: 'connections:write',
  tokenType: 'app',
  handle({ issueSocketUrl }) {
    // Slack would answer with a live URL; without a stand-in attached nothing could connect to it.
    if (issueSocketUrl === undefined)
      return fail('fake_slack_unsupported', { detail: 'no Socket Mode stand-in attached' });
    return { ok: true, url: issueSocketUrl() };
  },
};

export const DIRECTORY_METHODS: Readonly<Record<string, MethodSpec>> = {
  'auth.test': authTest,
  'conversations.open': conversationsOpen,
  'views.publish': viewsPublish,
  'usergroups.users.list': usergroupsUsersList,
  'users.info': usersInfo,
  'apps.connections.open': appsConnectionsOpen,
};
