import type { en } from './en.ts';

/** The shape every catalogue has: the English one's keys, any words. */
export type Catalogue = Widen<typeof en>;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

type PluralSuffix = '_zero' | '_one' | '_two' | '_few' | '_many' | '_other';
type Bare<K extends string> = K extends `${infer Base}${PluralSuffix}` ? Base : K;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${Bare<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A message's key: a dotted path into the catalogue, without its plural suffix. */
export type MessageKey = Leaves<typeof en>;
