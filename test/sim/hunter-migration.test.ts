import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../sim/hunter/env-file.ts';
import { type HunterFaults, type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { compose } from './helpers/hunter.ts';

const MIGRATE = ['exec', '-T', 'api', 'alembic', 'upgrade', 'head'];

interface Column {
  name: string;
  type: string;
  length: number | null;
  nullable: boolean;
}

async function withSimAndDb(
  faults: Partial<HunterFaults>,
  body: (sim: HunterSim, columns: () => Promise<Column[]>) => Promise<void>,
): Promise<void> {
  const db = await createTestDatabase('pcv_hmig');
  const sim = await startHunterSim({ databaseUrl: db.url, faults });
  const columns = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const res = await client.query<{ name: string; type: string; length: number | null; nullable: string }>(
        `SELECT column_name AS name, data_type AS type, character_maximum_length AS length, is_nullable AS nullable
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'partner_center_referrals'
         ORDER BY ordinal_position`,
      );
      return res.rows.map((r) => ({ ...r, nullable: r.nullable === 'YES' }));
    } finally {
      await client.end();
    }
  };
  try {
    await body(sim, columns);
  } finally {
    await sim.stop();
    await db.drop();
  }
}

describe('Hunter simulator: alembic migration', () => {
  it('creates partner_center_referrals with the runbook columns, prints alembic lines, and is idempotent', () =>
    withSimAndDb({}, async (sim, columns) => {
      const first = await compose(sim, MIGRATE);
      expect(first.exitCode).toBe(0);
      expect(first.stderr).toMatch(
        /^INFO {2}\[alembic\.runtime\.migration\] Context impl PostgreSQLImpl\.$/m,
      );
      expect(first.stderr).toMatch(/Running upgrade \w+ -> \w+, add partner_center_referrals$/m);
      const cols = await columns();
      expect(cols).toEqual(
        expect.arrayContaining([
          { name: 'referral_id', type: 'character varying', length: 255, nullable: false },
          { name: 'referral_type', type: 'character varying', length: 50, nullable: true },
          { name: 'domain', type: 'character varying', length: 255, nullable: true },
        ]),
      );
      expect(cols.length).toBeGreaterThan(3);

      const second = await compose(sim, MIGRATE);
      expect(second.exitCode).toBe(0);
      expect(second.stderr).not.toContain('Running upgrade');
      expect((await compose(sim, ['exec', '-T', 'api', 'alembic', 'current'])).stdout).toMatch(
        /^\w+ \(head\)\n$/,
      );
    }));

  it('migrationFails: exit 1 with a sqlalchemy traceback, nothing created', () =>
    withSimAndDb({ migrationFails: true }, async (sim, columns) => {
      const res = await compose(sim, MIGRATE);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toContain('Traceback (most recent call last):');
      expect(res.stderr).toMatch(/^sqlalchemy\.exc\.OperationalError: /m);
      expect(await columns()).toEqual([]);
    }));

  it('tableMissing: the migration succeeds but no table exists', () =>
    withSimAndDb({ tableMissing: true }, async (sim, columns) => {
      expect((await compose(sim, MIGRATE)).exitCode).toBe(0);
      expect(await columns()).toEqual([]);
    }));

  it('wrongColumnType: referral_id is varchar(100); clearing the fault and migrating again repairs it', () =>
    withSimAndDb({ wrongColumnType: true }, async (sim, columns) => {
      expect((await compose(sim, MIGRATE)).exitCode).toBe(0);
      expect((await columns()).find((c) => c.name === 'referral_id')?.length).toBe(100);
      expect((await columns()).find((c) => c.name === 'domain')?.length).toBe(255);
      sim.setFaults({ wrongColumnType: false });
      expect((await compose(sim, MIGRATE)).exitCode).toBe(0);
      expect((await columns()).find((c) => c.name === 'referral_id')?.length).toBe(255);
    }));

  it('emptyEnvVar writes that one variable empty and leaves the others set', async () => {
    const db = await createTestDatabase('pcv_hmig');
    const sim = await startHunterSim({
      databaseUrl: db.url,
      faults: { emptyEnvVar: 'HUNTER_PARTNER_CENTER_TENANT_ID' },
    });
    try {
      const env = parseDotenv(await readFile(sim.envFile, 'utf8'));
      expect(env.get('HUNTER_PARTNER_CENTER_TENANT_ID')).toBe('');
      for (const name of [
        'HUNTER_PARTNER_CENTER_ENABLED',
        'HUNTER_PARTNER_CENTER_CLIENT_ID',
        'HUNTER_PARTNER_CENTER_API_URL',
      ]) {
        expect(env.get(name)).not.toBe('');
      }
      expect(sim.serviceEnv('api').HUNTER_PARTNER_CENTER_TENANT_ID).toBe('');
    } finally {
      await sim.stop();
      await db.drop();
    }
  });
});
