/** A click's refusals before any rule of the run is checked, and the ticket modal's failure. */
export const buttons = {
  foreign: 'This click did not come from this workspace and app; nothing changed.',
  unrecorded: 'pc-verify could not record this right now; nothing changed. Try again.',
  unreadable: 'pc-verify could not read this button (tampered or outdated); nothing changed.',
  unknown: 'pc-verify does not know this button (tampered or from an older version); nothing changed.',
  startFailed: 'pc-verify could not start the run right now; nothing was started. Try again.',
} as const;
