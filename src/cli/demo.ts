import { PHASE_NUMBERS } from '../domain/phase.ts';
import { translator } from '../i18n/index.ts';
import { openDemoDatabase } from './demo-database.ts';
import { startDemoWorld } from './demo-world.ts';
import { EXIT } from './exit-codes.ts';
import { parseLanguage } from './language-option.ts';
import { renderJson, renderResultsTemplate } from './results-text.ts';
import { type Io, verifyInTerminal } from './run.ts';

/**
 * `pc-verify demo`: the whole verification against the bundled simulators — Hunter (with a
 * stand-in `docker`), Azure AD (the login is approved automatically) and PostgreSQL (PGlite
 * when DATABASE_URL is not set). No accounts, no Docker, no network.
 */
export async function demoCommand(options: { json?: boolean; language?: string }, io: Io): Promise<number> {
  const language = parseLanguage(options.language);
  const t = translator(language);
  io.err(t('cli.demo.starting'));
  const database = await openDemoDatabase(process.env);
  try {
    const world = await startDemoWorld({ databaseUrl: database.url, language });
    try {
      io.err(t('cli.demo.world', { url: world.apiUrl, dir: world.projectDir, database: database.kind }));
      const report = await verifyInTerminal(world.env, PHASE_NUMBERS, io, {
        dispatcher: world.dispatcher,
        onHandoff: () => io.err(t('cli.demo.approves')),
      });
      io.out(options.json ? renderJson(report) : renderResultsTemplate(report, t));
      return report.verdict === 'PASS' ? EXIT.pass : EXIT.fail;
    } finally {
      await world.stop();
    }
  } finally {
    await database.close();
  }
}
