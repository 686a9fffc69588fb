import { describe, expect, it } from 'vitest';
import { dockerTimestamp, LogStore } from '../../sim/hunter/log-store.ts';

const fractionNow = () => Math.floor(((performance.timeOrigin + performance.now()) % 1) * 1e6);

describe('the simulator’s container logs', () => {
  it('stamp lines in the order they were written, across the sub-millisecond clock wrapping', () => {
    const logs = new LogStore();
    const at = new Date('2026-12-07T07:00:00.123Z');
    logs.append('api', 'Traceback (most recent call last):', at);
    const first = Number(dockerTimestamp(logs.query({ services: ['api'] })[0]!).slice(23, 29));
    // The sub-millisecond clock comes round below the first line's digits within a millisecond.
    while (fractionNow() >= first) {}
    logs.append('api', "SyntaxError: '(' was never closed", at);
    const stamps = logs.query({ services: ['api'] }).map(dockerTimestamp);
    expect(stamps).toHaveLength(2);
    expect(stamps[0]! < stamps[1]!).toBe(true);
  });
});
