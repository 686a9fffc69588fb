import type { RunRecord } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import type { RunVoice } from '../outbox/run-announcer.ts';
import { describeAccount, type SignedInAccount } from '../phases/phase2.ts';
import { auditCommand } from './audit-command.ts';
import type { BotServices } from './lifecycle-deps.ts';

/**
 * Who signed in is said in the thread and the audit trail the moment it is known, in full (UPN
 * and object id), before anything is installed: a masked name reads the same for two people of
 * one domain, and the account is the identity Hunter will act as.
 */
export async function announceAccount(
  s: BotServices,
  run: RunRecord,
  reporter: RunVoice,
  account: SignedInAccount,
  allowed: boolean,
): Promise<void> {
  const who = describeAccount(account);
  await auditCommand(
    s,
    run.env,
    'pc-verify',
    'login.signed_in',
    allowed ? 'info' : 'refused',
    allowed ? `signed in as ${who}` : `signed in as ${who}: not in auth.allowedAccounts, nothing installed`,
    run.id,
  );
  await reporter.reply(
    coded(
      message(allowed ? 'thread.note.signedIn' : 'thread.note.signedInNotAllowed', {
        user: account.username,
        objectId: account.objectId,
      }),
    ),
    allowed ? 'identity' : 'stopped',
  );
}
