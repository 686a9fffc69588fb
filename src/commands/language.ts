import type { Config } from '../config/config.ts';
import { type Translate, translator } from '../i18n/index.ts';

/** The words of a command's answer, in the deployment's language (`language:`, English by default). */
export function wordsFor(deps: { readonly config: Pick<Config, 'language'> }): Translate {
  return translator(deps.config.language ?? 'en');
}

/** A refusal from the config (an unknown environment) with the pointer to the help. */
export function seeHelp(t: Translate, problem: string): string {
  return t('commands.typeHelp', { problem });
}
