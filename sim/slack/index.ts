import { type FakeSocketMode, startFakeSocketMode } from './socket-mode.ts';
import { type FakeSlackApi, type FakeSlackApiOptions, startFakeSlackApi } from './web-api.ts';

export * from './sign.ts';
export * from './socket-mode.ts';
export * from './web-api.ts';

export interface FakeSlack {
  readonly api: FakeSlackApi;
  readonly socket: FakeSocketMode;
  close(): Promise<void>;
}

/** The Web API fake with the Socket Mode stand-in attached (apps.connections.open hands out its URLs). */
export async function startFakeSlack(options: FakeSlackApiOptions = {}): Promise<FakeSlack> {
  const api = await startFakeSlackApi(options);
  const socket = await startFakeSocketMode({ appId: api.identity.appId });
  api.attachSocketMode(socket);
  return {
    api,
    socket,
    close: async () => {
      await Promise.all([socket.close(), api.close()]);
    },
  };
}
