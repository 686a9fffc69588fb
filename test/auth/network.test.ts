import { createServer, type Server } from 'node:https';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../sim/aad/tls.ts';
import { createNetworkModule, type ServerErrorBody, type TransportFailure } from '../../src/auth/network.ts';

// MSAL's HTTP layer: every request has a deadline and a cancellation path, trust comes only
// from the CA it is given, and `slow_down` becomes a slower `authorization_pending`.

let server: Server;
let trust: Agent;
let base = '';
beforeAll(async () => {
  const { cert, key } = await loopbackCertificate();
  server = createServer({ cert, key }, (req, res) => {
    if (req.url === '/hang') return; // never answers
    const body =
      req.url === '/token-slow'
        ? { error: 'slow_down', error_codes: [70024] }
        : req.url === '/devicecode-refused'
          ? { error: 'unauthorized_client', error_codes: [700016] }
          : { ok: true };
    res.writeHead(req.url === '/ok' ? 200 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  trust = new Agent({ connect: { ca: [...rootCertificates, cert] } });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await trust.close();
});

/** `trusting: false` leaves out the test CA: only the system's roots are trusted. */
function moduleWith(overrides: { timeoutMs?: number; signal?: AbortSignal; trusting?: boolean } = {}) {
  const transport: TransportFailure[] = [];
  const serverErrors: ServerErrorBody[] = [];
  let slowDowns = 0;
  const network = createNetworkModule({
    timeoutMs: overrides.timeoutMs ?? 5_000,
    signal: overrides.signal ?? new AbortController().signal,
    ...(overrides.trusting === false ? {} : { dispatcher: trust }),
    onTransportError: (f) => void transport.push(f),
    onServerError: (_endpoint, e) => void serverErrors.push(e),
    slowDownDelay: async () => {
      slowDowns++;
    },
  });
  return { network, transport, serverErrors, slowDowns: () => slowDowns };
}

describe('the MSAL network module on undici', () => {
  it('returns status, lower-cased headers and the parsed body', async () => {
    const { network } = moduleWith();
    const res = await network.sendGetRequestAsync<{ ok: boolean }>(`${base}/ok`);
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('gives up on a server that never answers at the per-request deadline', async () => {
    const { network, transport } = moduleWith({ timeoutMs: 200 });
    // /hang never answers: only the deadline ends the request, and it says so.
    await expect(network.sendGetRequestAsync(`${base}/hang`)).rejects.toThrow();
    expect(transport).toEqual([expect.objectContaining({ kind: 'timeout' })]);
  });

  it('aborts a request in flight when the login is cancelled', async () => {
    const controller = new AbortController();
    const { network, transport } = moduleWith({ signal: controller.signal });
    const pending = network.sendPostRequestAsync(`${base}/hang`, { body: '' });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toThrow();
    expect(transport).toEqual([expect.objectContaining({ kind: 'cancelled' })]);
    await expect(network.sendGetRequestAsync(`${base}/ok`)).rejects.toThrow();
  });

  it('refuses a certificate it was not told to trust', async () => {
    const { network, transport } = moduleWith({ trusting: false });
    await expect(network.sendGetRequestAsync(`${base}/ok`)).rejects.toThrow();
    expect(transport).toEqual([expect.objectContaining({ kind: 'tls' })]);
  });

  it('hands slow_down to MSAL as authorization_pending after the extra wait', async () => {
    const { network, serverErrors, slowDowns } = moduleWith();
    const res = await network.sendPostRequestAsync<{ error: string }>(`${base}/token-slow`, { body: '' });
    expect(res.body.error).toBe('authorization_pending');
    expect(slowDowns()).toBe(1);
    expect(serverErrors).toEqual([{ error: 'slow_down', codes: [70024] }]);
  });

  it('stops a refused device-code request instead of letting MSAL poll with no code', async () => {
    const { network, serverErrors } = moduleWith();
    await expect(network.sendPostRequestAsync(`${base}/devicecode-refused`, { body: '' })).rejects.toThrow(
      /unauthorized_client/,
    );
    expect(serverErrors).toEqual([{ error: 'unauthorized_client', codes: [700016] }]);
  });
});
