// The shape of a catalogue entry: a text with named `{params}`, or plural forms chosen by `Intl.PluralRules` on `count`.

/** Plural forms of one message; `other` is required, the rest follow the language's plural categories. */
export interface PluralMessage {
  zero?: string
  one?: string
  two?: string
  few?: string
  many?: string
  other: string
}

/** One catalogue entry. */
export type Message = string | PluralMessage

/** Values interpolated into `{name}` placeholders; `count` also picks the plural form. */
export type MessageParams = Record<string, string | number>
