import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('../../src/runs/kill-switch.ts');
  vi.resetModules();
});

describe('the kill switch is loaded when a worker starts', () => {
  it('a kill-switch module missing on disk (an upgrade under way) fails the worker’s load, not a switch later', async () => {
    vi.resetModules();
    vi.doMock('../../src/runs/kill-switch.ts', () => {
      throw Object.assign(new Error('Cannot find module src/runs/kill-switch.ts'), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    await expect(import('../../src/runs/worker.ts')).rejects.toThrow(/error when mocking a module/);
  });

  it('with the module in place, the worker holds the kill switch already', async () => {
    vi.resetModules();
    let loaded = false;
    vi.doMock('../../src/runs/kill-switch.ts', async (original) => {
      loaded = true;
      return original();
    });
    await import('../../src/runs/worker.ts');
    expect(loaded).toBe(true);
  });
});
