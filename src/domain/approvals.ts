import type { Approval } from './run.ts';

/** What an environment's approval asks for: `approvals` distinct people, one from each group. */
export interface ApprovalRule {
  readonly approvals: number;
  readonly groups: readonly string[];
}

/** Where an approval stands: how many approved, how many more are needed, which groups are missing. */
export interface Tally {
  readonly count: number;
  readonly required: number;
  readonly needed: number;
  readonly missingGroups: readonly string[];
  readonly complete: boolean;
}

/**
 * The approvals counted against the rule. A person in two groups covers one of them: the groups
 * are matched to distinct approvers (a maximum bipartite matching), so the order of the clicks
 * never decides whether a set of approvers is enough.
 */
export function tally(approvals: readonly Approval[], rule: ApprovalRule): Tally {
  const covered = matchedGroups(approvals, rule.groups);
  const missingGroups = rule.groups.filter((g) => !covered.has(g));
  const needed = Math.max(rule.approvals - approvals.length, missingGroups.length, 0);
  return { count: approvals.length, required: rule.approvals, needed, missingGroups, complete: needed === 0 };
}

/** The groups a distinct approver each can be assigned to (Kuhn's augmenting paths). */
function matchedGroups(approvals: readonly Approval[], groups: readonly string[]): Set<string> {
  const groupOf = new Map<number, string>();
  const augment = (group: string, seen: Set<number>): boolean => {
    for (const [i, approval] of approvals.entries()) {
      if (seen.has(i) || !approval.groups.includes(group)) continue;
      seen.add(i);
      const held = groupOf.get(i);
      if (held === undefined || augment(held, seen)) {
        groupOf.set(i, group);
        return true;
      }
    }
    return false;
  };
  for (const group of groups) augment(group, new Set());
  return new Set(groupOf.values());
}
