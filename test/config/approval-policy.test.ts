import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';

const withPolicy = (policy: string) => `
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:8000" }
    database: { url: "postgres://h@127.0.0.1/h" }
    driver: { kind: compose, projectDir: /srv/hunter }
    policy: ${policy}
`;

function problemsOf(text: string): readonly string[] {
  try {
    parseConfig(text, 'test.yml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('policy.approvals and policy.approvalGroups', () => {
  it('default to one approver and no groups', () => {
    const policy = parseConfig(withPolicy('{}'), 't.yml', {}).environments.get('staging' as EnvName)?.policy;
    expect(policy).toMatchObject({ approvals: 1, approvalGroups: [] });
  });

  it('refuse fewer approvals than groups, saying what to set', () => {
    const problems = problemsOf(withPolicy('{ approvals: 1, approvalGroups: [S0ONE0001, S0TWO0001] }'));
    expect(problems).toEqual([
      'environments.staging.policy.approvals: is 1, but approvalGroups lists 2 groups and one approver from each is needed: set approvals to 2 or more, or list fewer groups',
    ]);
  });

  it('refuse a group listed twice, and anything but a user-group id', () => {
    expect(problemsOf(withPolicy('{ approvals: 2, approvalGroups: [S0ONE0001, S0ONE0001] }'))).toEqual([
      'environments.staging.policy.approvalGroups: lists a user group twice; list each group once',
    ]);
    expect(problemsOf(withPolicy('{ approvals: 2, approvalGroups: [U0BOB0001] }'))[0]).toContain(
      'approvalGroups.0',
    );
    expect(problemsOf(withPolicy('{ approvals: 0 }'))[0]).toContain('policy.approvals');
  });
});
