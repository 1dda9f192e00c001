import { redactUrlPasswords } from '@gitops-promotion/backstage-plugin-common/server';

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text from a cluster as it may leave the backend (in an answer's JSON, a
 * notification): without bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make text read other than it is
 * written ("pull from \u202Emoc.live" shows as "pull from evil.com") and
 * are invisible otherwise; and with the password of any URL in it
 * replaced (a source URL may carry credentials, and Flux's messages and
 * our root causes quote it). JSON.stringify leaves both unescaped, and
 * neither replacement crosses a JSON string's quotes, so this applies to
 * an answer's JSON text as a whole.
 */
export function answerText(text: string): string {
  return redactUrlPasswords(text.replace(BIDI_CONTROLS, ''));
}

/** A JSON value with {@link answerText} applied to every string in it. */
export function answerValue<T>(value: T): T {
  return value === undefined
    ? value
    : JSON.parse(answerText(JSON.stringify(value)));
}
