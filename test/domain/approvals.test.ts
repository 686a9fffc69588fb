import { describe, expect, it } from 'vitest';
import { tally } from '../../src/domain/approvals.ts';
import type { SlackUserId } from '../../src/domain/ids.ts';
import type { Approval } from '../../src/domain/run.ts';

const by = (user: string, ...groups: string[]): Approval => ({
  by: user as SlackUserId,
  at: '2026-12-07T04:00:00.000Z',
  groups,
});

describe('the approval tally', () => {
  it('counts distinct people against policy.approvals', () => {
    expect(tally([by('U1')], { approvals: 2, groups: [] })).toMatchObject({
      count: 1,
      needed: 1,
      complete: false,
    });
    expect(tally([by('U1'), by('U2')], { approvals: 2, groups: [] }).complete).toBe(true);
  });

  it('counts a person in two groups for one of them only', () => {
    const rule = { approvals: 3, groups: ['S1', 'S2'] };
    const counted = tally([by('U1', 'S1', 'S2'), by('U2'), by('U3')], rule);
    expect(counted).toMatchObject({ count: 3, needed: 1, complete: false });
    expect(counted.missingGroups).toHaveLength(1);
  });

  it('matches groups to approvers whatever the order of the clicks', () => {
    const rule = { approvals: 2, groups: ['S1', 'S2'] };
    // U1 could cover S1 or S2; U2 only S1: U1 covers S2.
    expect(tally([by('U1', 'S1', 'S2'), by('U2', 'S1')], rule).complete).toBe(true);
    expect(tally([by('U2', 'S1'), by('U1', 'S1', 'S2')], rule).complete).toBe(true);
    // Two people of the same group leave the other one missing.
    expect(tally([by('U2', 'S1'), by('U3', 'S1')], rule)).toMatchObject({ needed: 1, missingGroups: ['S2'] });
  });
});
