import { describe, expect, it } from 'vitest';
import type { WindowNote } from '../../src/domain/window.ts';
import { decisionWords, windowReplyText, windowWords, withWindowNote } from '../../src/slack/views/window.ts';

const closed: WindowNote = {
  reason: 'outside_window',
  zone: 'Europe/Istanbul',
  opensAt: '2026-12-07T06:00:00.000Z',
};
const frozen: WindowNote = {
  reason: 'freeze',
  zone: 'Europe/Istanbul',
  opensAt: '2027-01-04T06:00:00.000Z',
  freeze: { reason: 'Yıl sonu <!here>', until: '2027-01-01T21:00:00.000Z' },
};

describe('the change window in words', () => {
  it('says when the window opens, in its zone, in English and Turkish', () => {
    expect(windowWords(closed, 'approval')).toBe(
      'Outside the change window: Phase 3 starts only when the window opens, Monday, December 7 at 09:00 AM (Europe/Istanbul). An approval given now is carried out then.',
    );
    expect(windowWords(closed, 'waiting', 'tr')).toContain(
      'pencere açıldığında kendiliğinden başlar, 7 Aralık Pazartesi 09:00 (Europe/Istanbul)',
    );
  });

  it('names a freeze and its reason as text', () => {
    const words = windowWords(frozen, 'approval', 'tr');
    expect(words).toContain(
      '2 Ocak 00:00 (Europe/Istanbul) tarihine kadar değişiklik dondurma: Yıl sonu &lt;!here&gt;.',
    );
    expect(words).toContain('4 Ocak Pazartesi 09:00');
  });

  it('says an approval given while closed waits for the window', () => {
    const approved = { kind: 'approval_decided', env: 'prod', decision: 'approved', by: 'U1' } as const;
    expect(decisionWords({ ...approved, window: closed }, 'tr')).toBe(
      ':ballot_box_with_check: <@U1> onayladı: FAZ 3 değişiklik penceresi açıldığında bayrağı ON yapar.',
    );
    expect(decisionWords(approved)).toContain('Phase 3 turns the flag ON now.');
  });

  it('puts the note under the request headline, and says when the window opened', () => {
    const request = withWindowNote({ text: 'x', blocks: [{ type: 'section' }, { type: 'actions' }] }, closed);
    expect(request.blocks.map((b) => b.type)).toEqual(['section', 'section', 'actions']);
    expect(windowReplyText(undefined, 'tr')).toBe(
      ':calendar: Değişiklik penceresi açık: FAZ 3 şimdi başlıyor.',
    );
    expect(windowWords({ reason: 'freeze', zone: 'UTC' }, 'waiting')).toContain(
      'No change window opens within a year',
    );
  });
});
