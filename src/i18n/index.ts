// `pc-verify checks` loads lean (test/cli/checks.test.ts): its files import translate.ts and
// catalogue/shape.ts directly, since coded.ts brings zod.
export type { Catalogue } from './catalogue/shape.ts';
export { coded, defuse, isCoded, QUOTED_FIELD, renderCoded } from './coded.ts';
export { type Message, type MessageKey, type MessageParam, type MessageParams, message } from './message.ts';
export { LANGUAGES, type Language, type Translate, translator } from './translate.ts';
