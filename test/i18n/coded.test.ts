import { describe, expect, it } from 'vitest';
import { coded, message, renderCoded, translator } from '../../src/i18n/index.ts';
import { reasonWords } from '../../src/slack/views/reason-words.ts';

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
    const dm = coded(message('dm.stoppedBeforeBegan', { env: 'prod', reason: cancelled }));
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
});
