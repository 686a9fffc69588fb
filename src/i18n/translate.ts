import i18next from 'i18next';
import { en } from './catalogue/en.ts';
import { tr } from './catalogue/tr.ts';
import type { Message, MessageKey, MessageParams } from './message.ts';

export const LANGUAGES = ['en', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Words for a key (plural by `count`, dates by `Intl` in the language), or for a `Message`. */
export interface Translate {
  (key: MessageKey, params?: MessageParams): string;
  (message: Message): string;
  readonly language: Language;
}

const cache = new Map<Language, Translate>();

/**
 * The deployment's words. One i18next instance per language, initialised synchronously from
 * the bundled catalogues (no backend, nothing loaded at run time). Values are inserted as they
 * are: escaping for Slack's mrkdwn is the adapter's job, not i18next's HTML escaping.
 */
export function translator(language: Language = 'en', timeZone?: string): Translate {
  const cacheKey = timeZone === undefined ? language : undefined;
  const known = cacheKey && cache.get(cacheKey);
  if (known) return known;
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: false,
    resources: { en: { translation: en }, tr: { translation: tr } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  const fixed = instance.getFixedT(language);
  const zone = timeZone === undefined ? {} : { timeZone };
  const translate = ((what: MessageKey | Message, params?: MessageParams) => {
    const { key, fields } =
      typeof what === 'string' ? { key: what, fields: params } : { key: what.key, fields: what.params };
    // Every date field in the zone asked for, not only `when` (a freeze has `from` and `until`).
    const formatParams = Object.fromEntries(['when', ...Object.keys(fields ?? {})].map((f) => [f, zone]));
    const text = fixed(key, { ...fields, formatParams });
    if (text === key) throw new Error(`i18n: no words for "${key}" in ${language}`);
    return text;
  }) as Translate;
  Object.defineProperty(translate, 'language', { value: language });
  if (cacheKey) cache.set(cacheKey, translate);
  return translate;
}
