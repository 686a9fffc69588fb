import { LANGUAGES, type Language, translator } from '../i18n/translate.ts';
import { UsageError } from './exit-codes.ts';

/** `--language tr` for the commands that run without a config (`demo`, `checks`); default English. */
export function parseLanguage(value: string | undefined): Language {
  if (value === undefined) return 'en';
  const known = LANGUAGES.find((l) => l === value);
  if (!known) throw new UsageError(translator('en')('cli.badLanguage', { value }));
  return known;
}
