/** What replaces a secret-looking value. @public */
export const REDACTED = '<redacted>';

/**
 * Words of a key that mark its value as a credential. A key is split into
 * words at camelCase humps, digits and `_ - .`: `stripeApiKey`,
 * `DB_PASSWORD`, `tls.key` and `clientSecret` match; `monkey`,
 * `tokenizer` and `keyspace` do not.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'privatekey',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'dsn',
  'connectionstring',
  'jwt',
  'salt',
]);

const isUpper = (c: string | undefined) =>
  c !== undefined && c >= 'A' && c <= 'Z';
const isLower = (c: string | undefined) =>
  c !== undefined && c >= 'a' && c <= 'z';

/**
 * The lower-case words of a key, in one pass (keys come from clusters and
 * may be huge: no regex that backtracks): a word ends at anything but an
 * ASCII letter, before a capital after a small letter (`apiKey`), and
 * before the last capital of a run followed by a small letter (`HTTPServer`).
 */
function words(key: string): string[] {
  const found: string[] = [];
  let word = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (!isUpper(c) && !isLower(c)) {
      if (word) found.push(word);
      word = '';
      continue;
    }
    const prev = key[i - 1];
    if (
      word &&
      isUpper(c) &&
      (isLower(prev) || (isUpper(prev) && isLower(key[i + 1])))
    ) {
      found.push(word);
      word = '';
    }
    word += c.toLowerCase();
  }
  if (word) found.push(word);
  return found;
}

/** Whether a key's value looks like a credential (see the word list above). @public */
export function isSecretLikeKey(key: string): boolean {
  const parts = words(key);
  return (
    parts.some(w => SECRET_WORDS.has(w)) || SECRET_WORDS.has(parts.join(''))
  );
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** A URL's authority (`user:password@host:port`) after its `://`, as Go's url.Parse splits it. */
const AUTHORITY = /[^/?#\s]*/y;
/** The same in text that may be JSON: never past a quote or into an escape, so a replacement stays inside one JSON string. */
const AUTHORITY_IN_TEXT = /[^/?#\s"\\]*/y;

/** A string with the password of any URL in it replaced; a private key block as a whole. */
function redactString(value: string): string {
  if (PRIVATE_KEY.test(value)) return REDACTED;
  return redactUserInfo(value, AUTHORITY);
}

/**
 * Text (a message, or a whole answer's JSON) with the password of any URL
 * in it replaced (`https://deploy:<redacted>@charts.example.com`): a
 * source URL may carry credentials, which Flux's controllers accept and
 * which would otherwise reach root causes, facts and notifications.
 * @public
 */
export function redactUrlPasswords(text: string): string {
  return redactUserInfo(text, AUTHORITY_IN_TEXT);
}

/**
 * Replaces the password of every URL after a `://`: in its authority, the
 * user info runs to the last `@` (a raw `@` may be in it) and the password
 * from its first `:`. One pass: each authority is read once (values may be
 * megabytes).
 */
function redactUserInfo(value: string, authority: RegExp): string {
  let redacted = '';
  let copied = 0;
  for (let at = value.indexOf('://'); at >= 0; ) {
    const start = at + 3;
    authority.lastIndex = start;
    const found = authority.exec(value)![0];
    const lastAt = found.lastIndexOf('@');
    const colon = found.indexOf(':');
    if (colon >= 0 && colon < lastAt) {
      redacted += `${value.slice(copied, start + colon + 1)}${REDACTED}`;
      copied = start + lastAt;
    }
    at = value.indexOf('://', start + found.length);
  }
  return copied === 0 ? value : redacted + value.slice(copied);
}

/** A path as a person reads it: `a.b[0]["x.y"]`. */
export function appendPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * A copy of a values tree with credentials replaced by {@link REDACTED}:
 * every scalar under a secret-looking key (at any depth: the key of the
 * scalar or of an object or list holding it), the `value` of an object
 * whose `name` looks so (`env: [{name: DB_PASSWORD, value: …}]`), the password of a URL
 * (`postgres://user:<redacted>@host`), and a PEM private key. Returns the
 * paths it redacted, prefixed with `path`.
 * @public
 */
export function redactSecrets(
  value: unknown,
  path = '',
): { value: unknown; redactedPaths: string[] } {
  const redactedPaths: string[] = [];
  const walk = (v: unknown, at: string, secret: boolean): unknown => {
    if (Array.isArray(v)) {
      return v.map((item, i) => walk(item, appendPath(at, i), secret));
    }
    if (v && typeof v === 'object') {
      // A name and its value (a container's `env`, a chart's `extraEnv`):
      // the name says whether the value is a credential.
      const { name } = v as { name?: unknown };
      const namedSecret = typeof name === 'string' && isSecretLikeKey(name);
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [
          k,
          walk(
            item,
            appendPath(at, k),
            secret || isSecretLikeKey(k) || (namedSecret && k === 'value'),
          ),
        ]),
      );
    }
    if (v === null || v === undefined) return v;
    if (secret) {
      redactedPaths.push(at);
      return REDACTED;
    }
    if (typeof v === 'string') {
      const redacted = redactString(v);
      if (redacted !== v) redactedPaths.push(at);
      return redacted;
    }
    return v;
  };
  return { value: walk(value, path, false), redactedPaths };
}
