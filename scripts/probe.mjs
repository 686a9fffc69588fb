// Exit 0 when the service at the URL answers: `node scripts/probe.mjs redis|pg URL`.

import { Redis } from 'ioredis';
import pg from 'pg';

const [kind, url] = process.argv.slice(2);
const timer = setTimeout(() => process.exit(3), 3000);
try {
  if (kind === 'redis') {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await redis.connect();
    await redis.ping();
    redis.disconnect();
  } else {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.query('select 1');
    await client.end();
  }
  clearTimeout(timer);
  process.exit(0);
} catch {
  process.exit(1);
}
