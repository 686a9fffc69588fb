export type { Catalogue } from './catalogue/shape.ts';
export { coded, isCoded, renderCoded } from './coded.ts';
export { type Message, type MessageKey, type MessageParam, type MessageParams, message } from './message.ts';
export { LANGUAGES, type Language, type Translate, translator } from './translate.ts';
