import { describe, expect, it } from 'vitest';
import { coded, message, renderCoded, translator } from '../../src/i18n/index.ts';
import { promoteStagedCache } from '../../src/lifecycle/staged-cache.ts';
import { reasonWords } from '../../src/slack/views/reason-words.ts';
import { exited, fakeRun, ok } from '../helpers/fake-target.ts';

const APPROVED = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

/** A promotion against scripted digests: `staged` and `live` answer the two sha256sum calls. */
function promote(answers: { staged: ReturnType<typeof ok>; live?: string; moved?: ReturnType<typeof ok> }) {
  const run = fakeRun({
    commands: (action) => {
      if (action.kind === 'tokenCacheDigest') return ok(`${answers.live ?? OTHER}  .token_cache\n`);
      if (action.kind === 'stagedTokenCacheDigest') return answers.staged;
      if (action.kind === 'promoteTokenCache') return answers.moved ?? ok();
      return ok();
    },
  });
  return promoteStagedCache(run.ctx, APPROVED);
}

/** The thread's words for a Phase 3 that did not start, as the lifecycle codes them. */
function said(why: string, language: 'en' | 'tr') {
  const note = coded(message('thread.note.phase3NotStarted'), { why });
  return {
    terminal: renderCoded(translator(language), note),
    slack: reasonWords(translator(language), note),
  };
}

describe('why an approved sign-in could not go live, in the deployment’s language', () => {
  it('a staged cache that is not the one shown: worded in Turkish for a Turkish deployment', async () => {
    const promoted = await promote({ staged: ok(`${OTHER}  .token_cache.pending\n`) });
    expect(promoted.ok).toBe(false);
    if (promoted.ok) return;
    expect(said(promoted.why, 'en').terminal).toContain(
      'the staged cache is not the one the approver was shown (its sha256 differs)',
    );
    const tr = said(promoted.why, 'tr').terminal;
    expect(tr).toContain('bekleyen cache, onaylayana gösterilen cache değil');
    expect(tr).not.toContain('approver');
  });

  it('a live cache that does not read back after the rename: worded in Turkish too', async () => {
    const promoted = await promote({ staged: ok(`${APPROVED}  .token_cache.pending\n`) });
    expect(promoted.ok).toBe(false);
    if (promoted.ok) return;
    expect(said(promoted.why, 'tr').terminal).toContain('onaylanan cache olarak okunmuyor');
  });

  it('a command that failed: its message is quoted as code, never as markup', async () => {
    const gone = { ...exited(1, ''), message: 'sha256sum: <!channel> .token_cache.pending: No such file' };
    const promoted = await promote({ staged: gone });
    expect(promoted.ok).toBe(false);
    if (promoted.ok) return;
    const { slack } = said(promoted.why, 'en');
    expect(slack).toContain("the approved sign-in's staged cache is gone");
    // Quoted as the command's words: escaped, in a code span.
    expect(slack).toContain('(`sha256sum: &lt;!channel&gt; .token_cache.pending: No such file`)');
    expect(slack).not.toContain('<!channel>');
  });
});
