/** The change ticket of a run (policy.ticket): the start's refusals and the line that shows it. */
export const ticket = {
  label: 'Change ticket: {{ticket}}',
  missing:
    'A change ticket is required for *{{env}}*, so nothing was started. Type `/pc-verify {{env}} <ticket>`, the ticket matching `{{pattern}}`.',
  missingAny:
    'A change ticket is required for *{{env}}*, so nothing was started. Type `/pc-verify {{env}} <ticket>`, e.g. `/pc-verify {{env}} CHG0012345`.',
  malformed:
    '`{{given}}` is not a change ticket *{{env}}* accepts: it must match `{{pattern}}`. Nothing was started; type `/pc-verify {{env}} <ticket>` with a ticket of that form.',
  notTaken:
    '*{{env}}* takes no change ticket, so `{{given}}` was not understood and nothing was started. Type `/pc-verify {{env}}` alone.',
  asked: 'A change ticket is required for *{{env}}*: type it in the dialog that opened, and the run starts.',
  modalTitle: 'Change ticket',
  modalSubmit: 'Start the run',
  modalIntro: 'A change ticket is required to start a run in *{{env}}*.',
  modalCancel: 'Cancel',
  modalLabel: 'Change ticket',
  modalHint: 'It must match {{pattern}}',
} as const;
