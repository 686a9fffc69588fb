import type { Config } from '../config/config.ts';
import { type Message, type Translate, translator } from '../i18n/index.ts';

/** The words of a command's answer, in the deployment's language (`language:`, English by default). */
export function wordsFor(deps: { readonly config: Pick<Config, 'language'> }): Translate {
  return translator(deps.config.language ?? 'en');
}

/** A refusal from the config (an unknown environment) with the pointer to the help. */
export function seeHelp(t: Translate, problem: string): string {
  return t('commands.typeHelp', { problem });
}

/** A refusal as the audit trail keeps it (English, for the record) and as the person reads it. */
export function refusal(deps: { readonly config: Pick<Config, 'language'> }, why: Message) {
  return { audited: translator('en')(why), text: wordsFor(deps)(why) };
}
