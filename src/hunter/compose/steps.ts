import type { ComposeDriverConfig } from '../../config/schema.ts';
import type { TargetAction } from '../port.ts';
import { stdinToFileArgv } from '../stdin-to-file.ts';

const CELERY_APP = ['celery', '-A', 'app.core.celery_app'];
const SYNC_TASK = 'app.core.tasks.sync_partner_center_referrals_task';
export const TOKEN_CACHE_FILE = '.token_cache';
/** A cache waiting for its approval, beside the live one in the same directory (so the rename is atomic). */
export const STAGED_TOKEN_CACHE_FILE = '.token_cache.pending';

/** What an action is on a compose deployment, before it is an Engine API call or a CLI argv. */
export type ComposeStep =
  | { readonly kind: 'exec'; readonly service: string; readonly cmd: readonly string[] }
  | { readonly kind: 'apply' }
  | { readonly kind: 'logs'; readonly service: string; readonly since: Date };

/** The runbook's commands for one action. */
export function composeStep(config: ComposeDriverConfig, action: TargetAction): ComposeStep {
  const { api, worker } = config.services;
  const exec = (service: string, ...cmd: string[]): ComposeStep => ({ kind: 'exec', service, cmd });
  switch (action.kind) {
    case 'migrate':
      return exec(api, 'alembic', 'upgrade', 'head');
    case 'apply':
      return { kind: 'apply' };
    case 'celeryCall':
      return exec(worker, ...CELERY_APP, 'call', SYNC_TASK);
    case 'celeryResult':
      return exec(worker, ...CELERY_APP, 'result', action.taskId);
    case 'logs':
      return { kind: 'logs', service: worker, since: action.since };
    case 'readEnv':
      return exec(api, 'printenv');
    case 'installTokenCache':
      // Mode 0600 from the start, atomic, and whatever stdin is (stdin-to-file.ts).
      return exec(api, ...stdinToFileArgv(TOKEN_CACHE_FILE));
    case 'tokenCacheDigest':
      return exec(api, 'sha256sum', TOKEN_CACHE_FILE);
    case 'stageTokenCache':
      return exec(api, ...stdinToFileArgv(STAGED_TOKEN_CACHE_FILE));
    case 'stagedTokenCacheDigest':
      return exec(api, 'sha256sum', STAGED_TOKEN_CACHE_FILE);
    case 'promoteTokenCache':
      return exec(api, 'mv', '-f', STAGED_TOKEN_CACHE_FILE, TOKEN_CACHE_FILE);
    case 'discardStagedTokenCache':
      return exec(api, 'rm', '-f', STAGED_TOKEN_CACHE_FILE);
  }
}
