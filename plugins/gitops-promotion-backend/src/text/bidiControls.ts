const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text without bidirectional embeddings, overrides and isolates (U+202A–
 * U+202E, U+2066–U+2069): in a message read from a cluster they make text
 * read other than it is written ("pull from \u202Emoc.live" shows as
 * "pull from evil.com"). Invisible otherwise, so dropping them changes
 * nothing a person reads; JSON.stringify leaves them unescaped, so this
 * applies to an answer's JSON text as well.
 */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** A JSON value with {@link withoutBidiControls} applied to every string in it. */
export function withoutBidiControlsIn<T>(value: T): T {
  return value === undefined
    ? value
    : JSON.parse(withoutBidiControls(JSON.stringify(value)));
}
