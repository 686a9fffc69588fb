import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/domain/check.ts';
import { failureReason } from '../../src/engine/build-report.ts';

const saw = '[2026-12-07 07:00:00,000: ERROR] AttributeError: <!channel> *bold*';

function failed(hint?: string): CheckResult {
  return {
    id: 'logs.on',
    title: 'Worker log: task runs, no exception',
    status: 'fail',
    expected: 'no exception in the worker log',
    observed: saw,
    ...(hint === undefined ? {} : { hint }),
    ms: 1,
  };
}

describe('why a run failed, in the report', () => {
  it('names the failing check and what to do, never what it saw (outside text stays in the thread, as code)', () => {
    const reason = failureReason([
      { phase: 3, title: 'ON', status: 'fail', checks: [failed('Look at the worker log.')] },
    ]);
    expect(reason).toBe('Phase 3: logs.on failed — Look at the worker log.');
  });

  it('names the check by its title when it has no hint, not by what it saw', () => {
    const reason = failureReason([{ phase: 3, title: 'ON', status: 'fail', checks: [failed()] }]);
    expect(reason).toBe('Phase 3: logs.on failed — Worker log: task runs, no exception');
    expect(reason).not.toContain('<!channel>');
  });
});
