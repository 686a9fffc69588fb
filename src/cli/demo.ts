import { PHASE_NUMBERS } from '../domain/phase.ts';
import { openDemoDatabase } from './demo-database.ts';
import { startDemoWorld } from './demo-world.ts';
import { EXIT } from './exit-codes.ts';
import { renderJson, renderResultsTemplate } from './results-text.ts';
import { type Io, verifyInTerminal } from './run.ts';

/**
 * `pc-verify demo`: the whole verification against the bundled simulators — Hunter (with a
 * stand-in `docker`), Azure AD (the login is approved automatically) and PostgreSQL (PGlite
 * when DATABASE_URL is not set). No accounts, no Docker, no network.
 */
export async function demoCommand(options: { json?: boolean }, io: Io): Promise<number> {
  io.err('Starting the simulated world: PostgreSQL, Azure AD and the Hunter deployment…');
  const database = await openDemoDatabase(process.env);
  try {
    const world = await startDemoWorld({ databaseUrl: database.url });
    try {
      io.err(`Hunter simulator: ${world.apiUrl} (project ${world.projectDir}); database: ${database.kind}\n`);
      const report = await verifyInTerminal(world.env, PHASE_NUMBERS, io, {
        dispatcher: world.dispatcher,
        onHandoff: () => io.err('  (demo: the simulated person signs in and approves the login)'),
      });
      io.out(options.json ? renderJson(report) : renderResultsTemplate(report));
      return report.verdict === 'PASS' ? EXIT.pass : EXIT.fail;
    } finally {
      await world.stop();
    }
  } finally {
    await database.close();
  }
}
