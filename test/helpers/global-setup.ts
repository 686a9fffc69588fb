import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DATABASE_URL, REDIS_URL } from './services.ts';

/**
 * Fails fast, with the fix, when the real servers the tests need are not there; plants this
 * run's sentinel (test/helpers/evidence.ts) and, after the last test file, scans everything the
 * tests kept — bot logs, `serve` output, Slack traffic — for it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await checkPostgres();
  await checkRedis();
  // Before any test worker starts, so every worker (and every process it starts) plants the same one.
  const sentinel = `PCVSENTINEL${randomBytes(6).toString('hex')}`;
  process.env.PCV_TEST_SENTINEL = sentinel;
  const { EVIDENCE_DIR } = await import('./evidence.ts');
  await rm(EVIDENCE_DIR, { recursive: true, force: true });
  return () => scanEvidence(EVIDENCE_DIR, sentinel);
}

async function scanEvidence(dir: string, sentinel: string): Promise<void> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const leaks: string[] = [];
  const forms = encodedForms(sentinel);
  let bytes = 0;
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    bytes += text.length;
    text.split('\n').forEach((line, i) => {
      for (const form of forms) {
        const at = line.indexOf(form);
        if (at >= 0) leaks.push(`${file}:${i + 1}: …${line.slice(Math.max(0, at - 120), at + 60)}…`);
      }
    });
  }
  if (leaks.length > 0) {
    // Vitest reports a teardown error but keeps its exit code: fail the run explicitly.
    process.exitCode = 1;
    throw new Error(
      `A planted secret reached a log or Slack (${leaks.length} lines; evidence kept in ${dir}):\n${leaks.slice(0, 20).join('\n')}`,
    );
  }
  console.log(
    `sentinel scan: ${files.length} evidence files, ${Math.round(bytes / 1024)} KiB, no planted secret found`,
  );
}

/**
 * The sentinel as written, and as it reads inside base64 / base64url text (a Basic auth header,
 * a JWT payload): at each of the three byte alignments, the characters that depend on its
 * bytes only.
 */
export function encodedForms(sentinel: string): string[] {
  const forms = [sentinel];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from(`${'x'.repeat(shift)}${sentinel}`).toString('base64');
    // Characters before `start` mix in the prefix; those from `end` on mix in what follows.
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + sentinel.length) * 8) / 6);
    const core = encoded.slice(start, end);
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...new Set(forms.filter((f) => f.length >= 12))];
}

async function checkPostgres(): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${DATABASE_URL} is not reachable (${String(error)}); run the tests with npm test`,
    );
  }
}

async function checkRedis(): Promise<void> {
  const { Redis } = await import('ioredis');
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
