import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('../../src/lifecycle/kill-switch-run.ts');
  vi.resetModules();
});

describe('the kill switch is loaded when a worker starts', () => {
  it('a kill-switch module missing on disk (an upgrade under way) fails the worker’s load, not a switch later', async () => {
    vi.resetModules();
    vi.doMock('../../src/lifecycle/kill-switch-run.ts', () => {
      throw Object.assign(new Error('Cannot find module src/lifecycle/kill-switch-run.ts'), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    await expect(import('../../src/lifecycle/run-worker.ts')).rejects.toThrow(/error when mocking a module/);
  });

  it('with the module in place, the worker holds the kill switch already', async () => {
    vi.resetModules();
    let loaded = false;
    vi.doMock('../../src/lifecycle/kill-switch-run.ts', async (original) => {
      loaded = true;
      return original();
    });
    await import('../../src/lifecycle/run-worker.ts');
    expect(loaded).toBe(true);
  });
});
