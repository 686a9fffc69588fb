/** A decision click's refusals (approval and outage confirmation), checked at click time. */
export const clicks = {
  noRun: 'This button does not name a run (tampered or outdated).',
  unknownRun: 'This run is unknown to pc-verify.',
  notAwaitingApproval: 'This run is no longer waiting for approval (it is {{state}}).',
  notTheRequest: 'This click did not come from the approval request of this run; nothing changed.',
  expired: 'This approval request has expired; start a new run.',
  decidedFirst: 'Someone decided first: the run is {{state}}.',
  noKnownRun: 'This button does not name a known run.',
  notAwaitingConfirmation: 'This run is no longer waiting for a confirmation (it is {{state}}).',
  notTheConfirmation: 'This click did not come from the confirmation request of this run; nothing changed.',
  envGone: "This run's environment {{env}} is no longer configured.",
  answeredFirst: 'Someone answered first: the run is {{state}}.',
  breakGlass: {
    unnamed: 'This button does not name a break-glass pc-verify knows; nothing changed.',
    notApprover: 'Only the approvers of *{{env}}* may mark a break-glass reviewed.',
    unknown: 'This break-glass is unknown to pc-verify; nothing changed.',
    already: 'It was reviewed already ({{who}}).',
  },
} as const;
