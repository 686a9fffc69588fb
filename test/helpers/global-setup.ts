import { DATABASE_URL, REDIS_URL } from './services.ts';

/** Fails fast, with the fix, when the real servers the tests need are not there. */
export default async function globalSetup(): Promise<void> {
  const { default: pg } = await import('pg');
  const { Redis } = await import('ioredis');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${DATABASE_URL} is not reachable (${String(error)}); run the tests with npm test`,
    );
  }
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis at ${REDIS_URL} is not reachable (${String(error)}); run the tests with npm test`);
  } finally {
    redis.disconnect();
  }
}
