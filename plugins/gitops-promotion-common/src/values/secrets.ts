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

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** Whether a key's value looks like a credential (see the word list above). @public */
export function isSecretLikeKey(key: string): boolean {
  const parts = words(key);
  return (
    parts.some(w => SECRET_WORDS.has(w)) || SECRET_WORDS.has(parts.join(''))
  );
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** A string with the password of any URL in it replaced; a private key block as a whole. */
function redactString(value: string): string {
  if (PRIVATE_KEY.test(value)) return REDACTED;
  return value.replace(URL_PASSWORD, `$1${REDACTED}$3`);
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
 * scalar or of an object or list holding it), the password of a URL
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
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [
          k,
          walk(item, appendPath(at, k), secret || isSecretLikeKey(k)),
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
