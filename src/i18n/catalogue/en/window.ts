/**
 * Change windows and freezes (docs/architecture.md#change-windows): the approval request, the
 * thread of a run that waits, `status` and App Home. `{{when}}` is an instant shown in the
 * window's time zone, `{{zone}}` its name.
 */
export const window = {
  closed_approval:
    'Outside the change window: Phase 3 starts only when the window opens, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}). An approval given now is carried out then.',
  frozen_approval:
    'Change freeze until {{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}. Phase 3 starts only when the next window opens, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}}. An approval given now is carried out then.',
  never_opens:
    'No change window opens within a year (windows and freezes in the config): Phase 3 cannot start; cancel the run or change the config.',
  waiting:
    'Phase 3 waits for the change window: it starts by itself when the window opens, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}). Nothing is held but the run and its environment; cancel stops it.',
  waiting_frozen:
    'Phase 3 waits: change freeze until {{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}. It starts by itself when the next window opens, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}}; cancel stops it.',
  opened: 'The change window is open: Phase 3 starts now.',
  state: 'waiting for the change window to open',
  approved: 'Approved by {{by}}: Phase 3 turns the flag ON when the change window opens.',
  status_open: 'change window: open now',
  status_closed:
    'change window: closed, opens {{when, datetime(weekday: short; day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}})',
  status_never: 'change window: no opening within a year',
  status_freeze:
    'freeze until {{until, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}',
  status_next_freeze:
    'next freeze {{from, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} – {{until, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}',
} as const;
