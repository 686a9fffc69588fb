import { describe, expect, it } from 'vitest';
import { WorkLane } from '../../src/slack/work-lane.ts';

/** Turns of the event loop the test takes by hand: `turn()` runs what was scheduled. */
function handTurns() {
  let pending: (() => void)[] = [];
  return {
    turns: {
      next: (run: () => void) => void pending.push(run),
      soon: (run: () => void) => void pending.push(run),
    },
    turn: () => {
      const now = pending;
      pending = [];
      for (const run of now) run();
    },
  };
}

function lane(options: { maxWaitMs?: number; maxBacklog?: number } = {}) {
  const clock = { ms: 0 };
  const hand = handTurns();
  const started: number[] = [];
  const work = new WorkLane({ ...options, now: () => clock.ms, turns: hand.turns });
  const add = (id: number) => void work.run(async () => void started.push(id));
  return { work, add, started, clock, turn: hand.turn };
}

describe('the work behind acks', () => {
  it('waits while acks keep going out, and starts on the first quiet turn', () => {
    const { work, add, started, turn } = lane();
    add(1);
    work.noteAck();
    turn();
    work.noteAck();
    turn();
    expect(started).toEqual([]);
    turn();
    expect(started).toEqual([1]);
  });

  it('is never starved: it starts once its oldest item has waited maxWaitMs, acks or not', () => {
    const { work, add, started, clock, turn } = lane({ maxWaitMs: 500 });
    add(1);
    for (let ms = 0; ms < 500; ms += 100) {
      clock.ms = ms;
      work.noteAck();
      turn();
    }
    expect(started).toEqual([]);
    clock.ms = 500;
    work.noteAck();
    turn();
    expect(started).toEqual([1]);
  });

  it('starts a few at a time, in order, so a backlog does not hold up the acks behind it', () => {
    const { add, started, turn } = lane();
    for (let id = 1; id <= 20; id++) add(id);
    turn();
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    turn();
    turn();
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('starts a full backlog at once busy or not', () => {
    const { work, add, started, turn } = lane({ maxBacklog: 3 });
    for (let id = 1; id <= 3; id++) add(id);
    work.noteAck();
    turn();
    expect(started).toEqual([1, 2, 3]);
  });
});
