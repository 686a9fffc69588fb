// The framework floor for bench/slash-ack.ts: a bare Bolt HTTP app that acks `/pc-verify`
// (empty, as pc-verify's ack is) and does nothing else. Plain JavaScript: no loader, as the
// compiled bot runs. SLACK_SIGNING_SECRET and PORT as for `pc-verify serve --role web`.
import { App, HTTPReceiver } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '' });
const app = new App({
  receiver,
  // A fixed identity: without it Bolt calls auth.test before the first listener.
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0BARE0001', botUserId: 'U0BARE0001' }),
});
app.command('/pc-verify', async ({ ack }) => {
  await ack();
});
const server = await app.start({
  port: Number(process.env.PORT ?? 0),
  host: process.env.HOST ?? '127.0.0.1',
});
process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
