/**
 * Why Phase 3 may not start now, as data the lifecycle carries to the edge (the approval
 * request, the thread, `status`): instants as ISO strings, shown in `zone`
 * (docs/architecture.md#change-windows).
 */
export interface WindowNote {
  readonly reason: 'outside_window' | 'freeze';
  /** The zone people read the times in: the first window's (else the freeze's, else UTC). */
  readonly zone: string;
  /** The next instant Phase 3 may start; absent when nothing opens within a year. */
  readonly opensAt?: string;
  readonly freeze?: { readonly reason: string; readonly until: string };
}
