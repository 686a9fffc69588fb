import pg from 'pg';
import { AUTH_FAILED, alembicConnectionTraceback } from './tracebacks.ts';
import { type CommandReply, type HunterFaults, reply } from './types.ts';

const INITIAL = { rev: '4d6f1a2b9c3e', title: 'initial schema' };
const REFERRALS = { rev: '8a3c5e7f1b2d', title: 'add partner_center_referrals' };
const LOG = 'INFO  [alembic.runtime.migration]';
const CONTEXT_LINES = [`${LOG} Context impl PostgreSQLImpl.`, `${LOG} Will assume transactional DDL.`];
/** Serialises concurrent upgrades of one database, as a careful env.py does. */
const LOCK_KEY = 7_341_202_611;

/** The table as this run of the migration leaves it (the faults make the migration script wrong). */
type Variant = 'ok' | 'narrow' | 'absent';

const CREATE_COMPANIES = `CREATE TABLE IF NOT EXISTS companies (
  id serial PRIMARY KEY,
  domain varchar(255) NOT NULL UNIQUE,
  name varchar(255),
  created_at timestamptz NOT NULL DEFAULT now()
)`;

function createReferrals(idLength: number): string[] {
  return [
    `CREATE TABLE partner_center_referrals (
      referral_id varchar(${idLength}) NOT NULL,
      referral_type varchar(50),
      domain varchar(255),
      company_name varchar(255),
      status varchar(50),
      substatus varchar(50),
      raw_payload jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT partner_center_referrals_pkey PRIMARY KEY (referral_id)
    )`,
    'CREATE INDEX ix_partner_center_referrals_domain ON partner_center_referrals (domain)',
  ];
}

/** `alembic upgrade head` in the api container, against the real database. */
export async function upgradeHead(
  databaseUrl: string,
  faults: HunterFaults,
  signal: AbortSignal,
): Promise<CommandReply> {
  if (faults.migrationFails) return reply(1, '', `${alembicConnectionTraceback(AUTH_FAILED).join('\n')}\n`);
  const variant: Variant = faults.tableMissing ? 'absent' : faults.wrongColumnType ? 'narrow' : 'ok';
  return withClient(databaseUrl, signal, async (client) => {
    const ran: string[] = [];
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
      );
      const version = await currentVersion(client);
      if (version === undefined) {
        await client.query(CREATE_COMPANIES);
        ran.push(`${LOG} Running upgrade  -> ${INITIAL.rev}, ${INITIAL.title}`);
      }
      if (version !== REFERRALS.rev || (await tableVariant(client)) !== variant) {
        await client.query('DROP TABLE IF EXISTS partner_center_referrals');
        if (variant !== 'absent')
          for (const sql of createReferrals(variant === 'ok' ? 255 : 100)) await client.query(sql);
        ran.push(`${LOG} Running upgrade ${INITIAL.rev} -> ${REFERRALS.rev}, ${REFERRALS.title}`);
      }
      await client.query('DELETE FROM alembic_version');
      await client.query('INSERT INTO alembic_version (version_num) VALUES ($1)', [REFERRALS.rev]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return reply(0, '', `${[...CONTEXT_LINES, ...ran].join('\n')}\n`);
  });
}

/** `alembic current`. */
export function currentRevision(databaseUrl: string, signal: AbortSignal): Promise<CommandReply> {
  return withClient(databaseUrl, signal, async (client) => {
    const exists = await client.query("SELECT to_regclass('public.alembic_version') AS t");
    const version = exists.rows[0]?.t ? await currentVersion(client) : undefined;
    const out = version === undefined ? '' : `${version}${version === REFERRALS.rev ? ' (head)' : ''}\n`;
    return reply(0, out, `${CONTEXT_LINES.join('\n')}\n`);
  });
}

async function currentVersion(client: pg.Client): Promise<string | undefined> {
  const res = await client.query<{ version_num: string }>('SELECT version_num FROM alembic_version LIMIT 1');
  return res.rows[0]?.version_num;
}

async function tableVariant(client: pg.Client): Promise<Variant | 'other'> {
  const res = await client.query<{ len: number | null; nullable: string }>(
    `SELECT character_maximum_length AS len, is_nullable AS nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'partner_center_referrals' AND column_name = 'referral_id'`,
  );
  const column = res.rows[0];
  if (!column) return 'absent';
  if (column.nullable !== 'NO') return 'other';
  return column.len === 255 ? 'ok' : column.len === 100 ? 'narrow' : 'other';
}

/** One connection per command, with deadlines; a database error reads like alembic's traceback. */
async function withClient(
  databaseUrl: string,
  signal: AbortSignal,
  work: (client: pg.Client) => Promise<CommandReply>,
): Promise<CommandReply> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000,
  });
  client.on('error', () => undefined);
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    signal.removeEventListener('abort', onAbort);
    return reply(1, '', `${alembicConnectionTraceback(messageOf(error)).join('\n')}\n`);
  }
  try {
    return await work(client);
  } catch (error) {
    const text = `sqlalchemy.exc.ProgrammingError: (psycopg2.errors.Error) ${messageOf(error)}`;
    return reply(
      1,
      '',
      `${[...CONTEXT_LINES, 'Traceback (most recent call last):', '  ...', text].join('\n')}\n`,
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
