/** The runbook's exact strings (activation-plan §Phase 1 and §Phase 3); config `expect` overrides them. */
export const DEFAULT_EXPECT = {
  offMessage: 'Partner Center integration is disabled. Enable feature flag to use this endpoint.',
  tokenFailureMessage:
    'Failed to start referral sync: Token acquisition failed. Run setup script to authenticate.',
  enqueuedMessage: 'Referral sync task enqueued. Check logs for results.',
  taskSkippedStatus: 'skipped',
  taskSkippedReason: 'Feature flag disabled',
  offLogEvent: 'partner_center_sync_skipped',
  offLogReason: 'feature_flag_disabled',
  onLogEvents: [
    'partner_center_sync_task_started',
    'partner_center_sync_started',
    'partner_center_fetching_referrals',
  ],
  table: 'partner_center_referrals',
} as const;

/** The four variables Phase 0 requires in the env file. */
export const REQUIRED_ENV_VARS = [
  'HUNTER_PARTNER_CENTER_ENABLED',
  'HUNTER_PARTNER_CENTER_CLIENT_ID',
  'HUNTER_PARTNER_CENTER_TENANT_ID',
  'HUNTER_PARTNER_CENTER_API_URL',
] as const;

export const FLAG_VAR = 'HUNTER_PARTNER_CENTER_ENABLED';
export const SCOPE_VAR = 'HUNTER_PARTNER_CENTER_SCOPE';
export const DEFAULT_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
