import { DateTime } from 'luxon';
import type { ChangeWindow, Freeze } from '../config/windows.ts';
import type { WindowNote } from '../domain/window.ts';

/** What the windows and freezes of an environment's policy say (docs/architecture.md#change-windows). */
export interface WindowPolicy {
  readonly windows: readonly ChangeWindow[];
  readonly freezes: readonly Freeze[];
}

/**
 * Whether Phase 3 may start at an instant. Closed: outside every window, or inside a freeze
 * (the freeze wins when both hold: its reason is what people need to hear). `opensAt` is the
 * next instant it is open, freezes skipped; absent when nothing within a year opens it.
 */
export type WindowState =
  | { readonly open: true }
  | { readonly open: false; readonly reason: 'outside_window'; readonly opensAt?: Date }
  | { readonly open: false; readonly reason: 'freeze'; readonly freeze: Freeze; readonly opensAt?: Date };

/** How far ahead an opening is looked for: a window that never opens within it is "not known". */
const HORIZON_MS = 366 * 24 * 3_600_000;

export function windowState(policy: WindowPolicy, now: Date): WindowState {
  const freeze = freezeAt(policy, now);
  const inWindow = inAnyWindow(policy, now);
  if (!freeze && inWindow) return { open: true };
  const opensAt = nextOpening(policy, now);
  const when = opensAt ? { opensAt } : {};
  return freeze
    ? { open: false, reason: 'freeze', freeze, ...when }
    : { open: false, reason: 'outside_window', ...when };
}

/** Whether any rule limits the environment at all (no windows and no freezes: always open). */
export function hasWindowRules(policy: WindowPolicy): boolean {
  return policy.windows.length > 0 || policy.freezes.length > 0;
}

/** The freeze in force at `at`, if any. */
export function freezeAt(policy: WindowPolicy, at: Date): Freeze | undefined {
  const t = at.getTime();
  return policy.freezes.find((f) => f.from.getTime() <= t && t < f.to.getTime());
}

/** The freeze in force now or the next one to start, for `status` and App Home. */
export function currentOrNextFreeze(policy: WindowPolicy, now: Date): Freeze | undefined {
  const t = now.getTime();
  return [...policy.freezes]
    .filter((f) => f.to.getTime() > t)
    .sort((a, b) => a.from.getTime() - b.from.getTime())[0];
}

function inAnyWindow(policy: WindowPolicy, at: Date): boolean {
  return policy.windows.length === 0 || policy.windows.some((w) => inWindow(w, at));
}

/** Local weekday and minute of the day in the window's zone: DST is the zone's business. */
function inWindow(w: ChangeWindow, at: Date): boolean {
  const local = DateTime.fromJSDate(at, { zone: w.zone });
  const minute = local.hour * 60 + local.minute;
  if (w.from < w.to) return w.days.includes(local.weekday) && minute >= w.from && minute < w.to;
  // Past midnight: the evening of a listed day, or the small hours after one.
  const yesterday = local.minus({ days: 1 }).weekday;
  return (
    (w.days.includes(local.weekday) && minute >= w.from) || (w.days.includes(yesterday) && minute < w.to)
  );
}

/** The first instant at or after `now` when Phase 3 may start, freezes skipped. */
export function nextOpening(policy: WindowPolicy, now: Date): Date | undefined {
  const end = now.getTime() + HORIZON_MS;
  let at = now;
  while (at.getTime() <= end) {
    if (!freezeAt(policy, at) && inAnyWindow(policy, at)) return at;
    const next = nextEdge(policy, at);
    if (!next) return undefined;
    at = next;
  }
  return undefined;
}

/** The earliest instant after `at` where the answer may change: a window opens or a freeze ends. */
function nextEdge(policy: WindowPolicy, at: Date): Date | undefined {
  const t = at.getTime();
  const edges = [
    ...policy.freezes.map((f) => f.to.getTime()),
    ...policy.windows.flatMap((w) => openingsAfter(w, at)),
  ].filter((e) => e > t);
  return edges.length === 0 ? undefined : new Date(Math.min(...edges));
}

/** The window's openings over the coming week and a day, in its zone's local time. */
function openingsAfter(w: ChangeWindow, at: Date): number[] {
  const day = DateTime.fromJSDate(at, { zone: w.zone }).startOf('day').minus({ days: 1 });
  const out: number[] = [];
  for (let i = 0; i <= 8; i++) {
    const d = day.plus({ days: i });
    if (!w.days.includes(d.weekday)) continue;
    // A local time a spring-forward skips is moved on by luxon, as a wall clock would be.
    out.push(d.set({ hour: Math.floor(w.from / 60), minute: w.from % 60 }).toMillis());
  }
  return out;
}

/** What people are told when Phase 3 may not start now: undefined while it may. */
export function windowNote(policy: WindowPolicy, now: Date): WindowNote | undefined {
  const state = windowState(policy, now);
  if (state.open) return undefined;
  return {
    reason: state.reason,
    zone: displayZone(policy),
    ...(state.opensAt ? { opensAt: state.opensAt.toISOString() } : {}),
    ...(state.reason === 'freeze'
      ? { freeze: { reason: state.freeze.reason, until: state.freeze.to.toISOString() } }
      : {}),
  };
}

/** The zone times are shown in: the windows are what people plan by. */
export function displayZone(policy: WindowPolicy): string {
  return policy.windows[0]?.zone ?? policy.freezes[0]?.zone ?? 'UTC';
}
