import { describe, expect, it } from 'vitest';
import { coded, message, renderCoded, translator } from '../../src/i18n/index.ts';
import { noteWords, reasonWords } from '../../src/slack/views/reason-words.ts';

describe('coded messages (data where the store keeps a string)', () => {
  const cancelled = coded(message('thread.note.cancelledBy', { who: 'U0ALICE0001' }));

  it('keep the key and the fields, never the words', () => {
    expect(cancelled).not.toContain('Cancelled');
    expect(renderCoded(translator('en'), cancelled)).toBe('Cancelled by U0ALICE0001.');
    expect(renderCoded(translator('tr'), cancelled)).toBe('U0ALICE0001 tarafından iptal edildi.');
  });

  it('are worded for Slack at the edge: a person as a mention, outside text escaped', () => {
    const t = translator('en');
    expect(reasonWords(t, `${cancelled} <!channel> said & left`)).toBe(
      'Cancelled by <@U0ALICE0001>. &lt;!channel&gt; said &amp; left',
    );
    const dm = coded(message('dm.stoppedBeforeBegan', { env: 'prod' }), { reason: cancelled });
    expect(reasonWords(t, dm)).toBe(
      'Your run of *prod* stopped before it began: Cancelled by <@U0ALICE0001>.',
    );
    expect(reasonWords(t, coded(message('thread.note.flagLeftOff', { env: '<b>' })))).toBe(
      'The flag was left OFF in &lt;b&gt; by this run.',
    );
  });

  it('show an unknown or broken code as text instead of losing it', () => {
    expect(renderCoded(translator('en'), '⟦no.such.key⟧')).toBe('⟦no.such.key⟧');
    expect(renderCoded(translator('en'), '⟦thread.note.cancelledBy|{not json⟧')).toBe(
      '⟦thread.note.cancelledBy|{not json⟧',
    );
    expect(renderCoded(translator('en'), 'plain words')).toBe('plain words');
  });

  it('never read a person’s text as a code of ours, in a field or in a note', () => {
    const t = translator('en');
    const forged = '⟦thread.note.runRejected|{"who":"U0B0SS00001"}⟧';
    const rejected = coded(message('thread.note.runRejectedWhy', { who: 'U0BOB000001', reason: forged }));
    expect(reasonWords(t, rejected)).toBe(
      'Phase 3 was rejected by <@U0BOB000001>. Reason: [thread.note.runRejected|{"who":"U0B0SS00001"}]',
    );
    const note = coded(
      message('views.killSwitch.reasonFrom', {
        who: 'U0BOB000001',
        reason: `${forged} <!channel> <https://evil|x>`,
      }),
    );
    const shown = noteWords(t, `:memo: ${note}`);
    expect(shown).not.toContain('<@U0B0SS00001>');
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<https://evil|x>');
  });
});
