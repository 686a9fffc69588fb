import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit-codes.ts';
import { serveCommand } from '../../src/cli/serve.ts';

describe('pc-verify serve: start-up checks', () => {
  it('refuses an unknown role', async () => {
    await expect(serveCommand({ role: 'both' }, {})).rejects.toThrow(
      '--role takes web, worker or all (got "both")',
    );
  });

  it('names every missing or malformed variable, without echoing values', async () => {
    const error = await serveCommand(
      { role: 'all' },
      { SLACK_BOT_TOKEN: 'xoxp-user-token-9', PORT: 'eighty' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain('SLACK_BOT_TOKEN: must be a bot token (xoxb-…)');
    expect(message).toContain('PORT:');
    expect(message).not.toContain('xoxp-user-token-9');
  });

  it('needs a transport: SLACK_APP_TOKEN or SLACK_SIGNING_SECRET', async () => {
    await expect(serveCommand({ role: 'all' }, { SLACK_BOT_TOKEN: 'xoxb-1' })).rejects.toThrow(
      'set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
    );
  });
});
