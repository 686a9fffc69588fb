import type { Config } from '../config/config.ts';
import { type Translate, translator } from '../i18n/index.ts';

/** The deployment's words for everything Slack shows (`language:` in the config, English by default). */
export function wordsOf(config: Pick<Config, 'language'>): Translate {
  return translator(config.language ?? 'en');
}
