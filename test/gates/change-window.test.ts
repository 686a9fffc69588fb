import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChangeWindowSchema, FreezeSchema, parseWindow } from '../../src/config/windows.ts';
import { nextOpening, type WindowPolicy, windowState } from '../../src/gates/change-window.ts';
import { SteppedClock } from '../helpers/clock.ts';

const policy = (windows: string[], freezes: unknown[] = []): WindowPolicy => ({
  windows: z.array(ChangeWindowSchema).parse(windows),
  freezes: z.array(FreezeSchema).parse(freezes),
});

/** An injected clock set at an instant, moved by the test across an edge. */
function clockAt(iso: string): SteppedClock {
  const clock = new SteppedClock();
  clock.advance(Date.parse(iso) - clock.now().getTime());
  return clock;
}

describe('change windows', () => {
  const istanbul = policy(['Mon-Thu 09:00-16:00 Europe/Istanbul']);

  it('is closed a minute before the window and open once the clock crosses its edge', () => {
    // Monday 2026-12-07, 08:59 in Istanbul (UTC+3 all year).
    const clock = clockAt('2026-12-07T05:59:00Z');
    const before = windowState(istanbul, clock.now());
    expect(before).toEqual({
      open: false,
      reason: 'outside_window',
      opensAt: new Date('2026-12-07T06:00:00Z'),
    });
    clock.advance(60_000);
    expect(windowState(istanbul, clock.now())).toEqual({ open: true });
    // 16:00 is the first minute after the window.
    clock.advance(7 * 3_600_000);
    expect(windowState(istanbul, clock.now())).toMatchObject({
      open: false,
      opensAt: new Date('2026-12-08T06:00:00Z'),
    });
  });

  it('skips the days outside the range: Thursday evening opens on Monday', () => {
    expect(nextOpening(istanbul, new Date('2026-12-10T13:30:00Z'))).toEqual(new Date('2026-12-14T06:00:00Z'));
  });

  it('opens at local time across a DST change (Europe/Berlin, autumn and spring)', () => {
    const berlin = policy(['Mon-Fri 09:00-17:00 Europe/Berlin']);
    // Friday 2026-10-23 18:00 CEST; the clocks go back on Sunday 25th: Monday 09:00 is CET (UTC+1).
    const autumn = clockAt('2026-10-23T16:00:00Z');
    expect(windowState(berlin, autumn.now())).toMatchObject({
      open: false,
      opensAt: new Date('2026-10-26T08:00:00Z'),
    });
    autumn.advance(Date.parse('2026-10-26T07:59:00Z') - autumn.now().getTime());
    expect(windowState(berlin, autumn.now()).open).toBe(false);
    autumn.advance(60_000);
    expect(windowState(berlin, autumn.now())).toEqual({ open: true });
    // Spring forward on Sunday 2026-03-29: Monday 09:00 is CEST (UTC+2).
    expect(nextOpening(berlin, new Date('2026-03-27T17:00:00Z'))).toEqual(new Date('2026-03-30T07:00:00Z'));
  });

  it('follows New York across its own DST date (a week apart from Europe)', () => {
    const ny = policy(['Mon 10:00-12:00 America/New_York']);
    // DST starts there on 2026-03-08: 10:00 EDT is 14:00Z, the Monday before it was 15:00Z.
    expect(nextOpening(ny, new Date('2026-03-03T00:00:00Z'))).toEqual(new Date('2026-03-09T14:00:00Z'));
    expect(nextOpening(ny, new Date('2026-02-24T00:00:00Z'))).toEqual(new Date('2026-03-02T15:00:00Z'));
  });

  it('runs past midnight and wraps over the weekend', () => {
    const night = policy(['Fri-Mon 22:00-02:00 UTC']);
    expect(windowState(night, new Date('2026-12-05T01:00:00Z')).open).toBe(true); // Saturday small hours
    expect(windowState(night, new Date('2026-12-08T01:00:00Z')).open).toBe(true); // Tuesday 01:00, after Monday
    expect(windowState(night, new Date('2026-12-09T01:00:00Z')).open).toBe(false); // Wednesday
    expect(nextOpening(night, new Date('2026-12-09T01:00:00Z'))).toEqual(new Date('2026-12-11T22:00:00Z'));
  });

  it('is always open without windows and freezes', () => {
    expect(windowState(policy([]), new Date('2026-12-07T03:00:00Z'))).toEqual({ open: true });
  });
});

describe('freezes', () => {
  const frozen = policy(
    ['Mon-Fri 09:00-17:00 UTC'],
    [{ from: '2026-12-21', to: '2026-12-31', reason: 'Year-end freeze' }],
  );

  it('closes a window with its reason, and the next opening skips it', () => {
    const state = windowState(frozen, new Date('2026-12-22T10:00:00Z'));
    expect(state).toMatchObject({ open: false, reason: 'freeze', freeze: { reason: 'Year-end freeze' } });
    // A date alone ends with its day: Thursday the 31st is frozen, Friday 1 January opens.
    expect(state.open === false && state.opensAt).toEqual(new Date('2027-01-01T09:00:00Z'));
  });

  it('reads dates without an offset in the freeze zone', () => {
    const ist = policy(
      [],
      [{ from: '2026-12-07T09:00', to: '2026-12-07T12:00', reason: 'Audit', zone: 'Europe/Istanbul' }],
    );
    expect(windowState(ist, new Date('2026-12-07T05:59:00Z'))).toEqual({ open: true });
    expect(windowState(ist, new Date('2026-12-07T06:00:00Z'))).toMatchObject({
      reason: 'freeze',
      opensAt: new Date('2026-12-07T09:00:00Z'),
    });
  });
});

describe('the windows in the config file', () => {
  it.each([
    ['Mon-Thu 09:00-16:00', 'expected "<Day>[-<Day>] HH:MM-HH:MM <IANA zone>"'],
    ['Mon-Thx 09:00-16:00 UTC', '"Mon-Thx" is not a weekday or a range of them'],
    ['Mon 9-16 UTC', '"9-16" is not a time range HH:MM-HH:MM'],
    ['Mon 09:00-25:00 UTC', '"09:00-25:00" is not a time range'],
    ['Mon 09:00-09:00 UTC', 'opens and closes at the same time'],
    ['Mon 09:00-16:00 Europe/Istambul', '"Europe/Istambul" is not an IANA time zone'],
  ])('refuses %s and says what is wrong', (text, why) => {
    const parsed = parseWindow(text);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(why);
  });

  it('refuses a freeze that ends before it starts, or in an unknown zone', () => {
    const backwards = FreezeSchema.safeParse({ from: '2026-12-31', to: '2026-12-01', reason: 'x' });
    expect(backwards.error?.issues[0]?.message).toContain('must end after it starts');
    const zone = FreezeSchema.safeParse({
      from: '2026-12-01',
      to: '2026-12-02',
      reason: 'x',
      zone: 'Mars/Base',
    });
    expect(zone.error?.issues[0]?.message).toContain('"Mars/Base" is not an IANA time zone');
  });
});
