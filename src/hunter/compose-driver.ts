import type { ComposeDriverConfig } from '../config/schema.ts';
import type { TargetAction } from './port.ts';
import { stdinToFileArgv } from './stdin-to-file.ts';

const CELERY_APP = ['celery', '-A', 'app.core.celery_app'];
const SYNC_TASK = 'app.core.tasks.sync_partner_center_referrals_task';
export const TOKEN_CACHE_FILE = '.token_cache';
/** A cache waiting for its approval, beside the live one in the same directory (so the rename is atomic). */
export const STAGED_TOKEN_CACHE_FILE = '.token_cache.pending';

/** The runbook's `docker compose` commands, as argv, for one action. */
export function composeArgv(config: ComposeDriverConfig, action: TargetAction): string[] {
  const { api, worker } = config.services;
  const base = [...config.command, '--project-directory', config.projectDir];
  for (const file of config.files) base.push('-f', file);
  if (config.projectName !== undefined) base.push('-p', config.projectName);
  const exec = (service: string, ...cmd: string[]) => [...base, 'exec', '-T', service, ...cmd];
  switch (action.kind) {
    case 'migrate':
      return exec(api, 'alembic', 'upgrade', 'head');
    case 'apply':
      return config.apply === 'restart'
        ? [...base, 'restart', api, worker]
        : [...base, 'up', '-d', '--no-deps', '--force-recreate', api, worker];
    case 'celeryCall':
      return exec(worker, ...CELERY_APP, 'call', SYNC_TASK);
    case 'celeryResult':
      return exec(worker, ...CELERY_APP, 'result', action.taskId);
    case 'logs':
      return [...base, 'logs', '--no-log-prefix', '--since', action.since.toISOString(), worker];
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
  }
}
