import { createServer, type Server } from 'node:http';
import { closeNow, listenOn, sendJson } from './listen.ts';

export const PARTNER_CENTER_BASE_PATH = '/_partner_center';
export const REFERRALS_PATH = `${PARTNER_CENTER_BASE_PATH}/v1/referrals`;

/** A few referrals in the shape the Partner Center referrals API returns. */
export const SAMPLE_REFERRALS = [
  referral('3f1c9a52-0d7e-4b8a-9c61-2a5e7b0d4f13', 'Contoso Ltd', 'contoso.com', 'Independent'),
  referral('8b2d4e61-5a3f-4c9e-b1d0-7e6f5a4b3c21', 'Fabrikam Inc', 'fabrikam.com', 'Shared'),
  referral(
    'c4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
    'Northwind Traders',
    'northwindtraders.com',
    'Independent',
  ),
];

function referral(id: string, company: string, domain: string, type: string) {
  return {
    id,
    name: `${company} - Dynamics 365 Sales`,
    type,
    status: 'Active',
    substatus: 'Accepted',
    createdDateTime: '2026-11-20T09:15:00Z',
    customerProfile: { name: company, address: { country: 'US' }, team: [{ email: `it@${domain}` }] },
    details: { dealValue: 12000, currency: 'USD' },
  };
}

/** The fake Partner Center API the worker calls; `unreachable()` makes it drop every connection. */
export class FakePartnerCenter {
  readonly #server: Server;
  readonly #unreachable: () => boolean;
  #port = 0;

  constructor(
    unreachable: () => boolean,
    tokenState?: (token: string) => 'valid' | 'revoked' | 'expired' | 'unknown',
  ) {
    this.#unreachable = unreachable;
    this.#server = createServer((req, res) => {
      // A kept-alive connection from before the outage drops too (httpx reuses its pool).
      if (this.#unreachable()) return void req.socket.destroy();
      const url = new URL(req.url ?? '/', 'http://pc');
      if (url.pathname !== REFERRALS_PATH) return sendJson(res, 404, { error: { code: 'NotFound' } });
      if (req.method !== 'GET') return sendJson(res, 405, { error: { code: 'MethodNotAllowed' } });
      const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      if (!auth) {
        return sendJson(res, 401, { error: { code: 'Unauthorized', message: 'Bearer token required' } });
      }
      const state = tokenState?.(auth[1] ?? '');
      if (state === 'revoked' || state === 'expired') {
        // As a resource checking tokens against Azure AD: the sessions behind it were revoked.
        res.setHeader(
          'www-authenticate',
          `Bearer error="invalid_token", error_description="The access token is ${state}"`,
        );
        return sendJson(res, 401, {
          error: { code: 'Unauthorized', message: `The access token is ${state}` },
        });
      }
      sendJson(res, 200, { value: SAMPLE_REFERRALS, totalCount: SAMPLE_REFERRALS.length });
    });
    // A network failure, not an HTTP error: the worker sees the connection dropped.
    this.#server.on('connection', (socket) => {
      if (this.#unreachable()) socket.destroy();
    });
  }

  async start(): Promise<void> {
    this.#port = await listenOn(this.#server, 0);
  }

  /** The value of HUNTER_PARTNER_CENTER_API_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}${PARTNER_CENTER_BASE_PATH}`;
  }

  stop(): Promise<void> {
    return closeNow(this.#server);
  }
}
