import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHAT_METHOD_SCOPES } from '../../src/slack/chat.ts';

interface Manifest {
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  features: {
    slash_commands: { command: string }[];
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
  };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? sources(join(dir, e.name))
        : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat();
}

/** Every Web API call in the code, read from the source: `client.chat.postMessage(` → chat.postMessage. */
async function methodsCalled(): Promise<Set<string>> {
  const called = new Set<string>();
  for (const file of await sources(SRC)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(
      /\bclient\.((?:chat|conversations|views|usergroups|users|apps|auth|reactions|files)(?:\.[a-zA-Z]+)+)\(/g,
    ))
      called.add(match[1]!);
  }
  return called;
}

describe('manifest.yml', () => {
  it('asks for exactly the scopes of the Web API methods the code calls, plus the slash command', async () => {
    const manifest = parse(
      await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8'),
    ) as Manifest;
    const called = await methodsCalled();
    // Bolt calls auth.test at start-up (and the bot once more, for its team and app ids);
    // everything else the bot calls goes through src/slack/chat.ts.
    expect([...new Set([...called, 'auth.test'])].sort()).toEqual(Object.keys(CHAT_METHOD_SCOPES).sort());
    const needed = new Set<string>(['commands']);
    for (const method of called) {
      const scope = CHAT_METHOD_SCOPES[method as keyof typeof CHAT_METHOD_SCOPES];
      // A method whose scope depends on the kind of channel names each it may need.
      for (const s of [scope ?? []].flat()) needed.add(s);
    }
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('declares the command, the events, interactivity and Socket Mode the code handles', async () => {
    const manifest = parse(
      await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8'),
    ) as Manifest;
    const app = await readFile(join(SRC, 'slack/app.ts'), 'utf8');
    const commands = [...app.matchAll(/app\.command\('([^']+)'/g)].map((m) => m[1]);
    const events = [...app.matchAll(/app\.event\('([^']+)'/g)].map((m) => m[1]);
    // Buttons: app.action(…) directly or through registerButton / refuseUnknownActions.
    const actions = [...app.matchAll(/\b(?:app\.action|registerButton|refuseUnknownActions)\(/g)];
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(events);
    expect(manifest.settings.interactivity.is_enabled).toBe(actions.length > 0);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
