import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface DemoDatabase {
  readonly url: string;
  readonly kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

/**
 * The demo needs a PostgreSQL for Hunter's migration and the table check. With DATABASE_URL
 * it makes a scratch database there (dropped afterwards); otherwise it starts PGlite behind
 * its socket server, so the demo needs nothing installed but Node.
 */
export async function openDemoDatabase(
  env: Readonly<Record<string, string | undefined>>,
): Promise<DemoDatabase> {
  const url = env.DATABASE_URL;
  return url ? scratchDatabase(url) : embeddedDatabase();
}

async function scratchDatabase(adminUrl: string): Promise<DemoDatabase> {
  const name = `pcv_demo_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgresql',
    close: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function embeddedDatabase(): Promise<DemoDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    kind: 'pglite',
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
