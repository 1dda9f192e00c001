import {
  isSecretLikeKey,
  REDACTED,
  redactSecrets,
  redactUrlPasswords,
} from './secrets';

describe('isSecretLikeKey', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'adminPasswd',
    'pwd',
    'clientSecret',
    'existingSecret',
    'secrets',
    'token',
    'githubToken',
    'stripeApiKey',
    'apikey',
    'APIKEY',
    'key',
    'tls.key',
    'privateKey',
    'credentials',
    'awsCreds',
    'basic-auth',
    'Authorization',
    'sentryDsn',
    'connectionString',
    'jwt',
    'passwordSalt',
    'sshPassphrase',
    'OAuth2Token',
    'HTTPAuthHeader',
    'MySQLPassword',
    'x509_KEY',
  ])('%s looks like a credential', key => {
    expect(isSecretLikeKey(key)).toBe(true);
  });

  it.each([
    'monkey',
    'keyspace',
    'tokenizer',
    'hotkeys',
    'replicaCount',
    'image',
    'host',
    'authors',
    'ingress',
    'secretary',
    'HTTPServer',
    'KEYCLOAKRealm',
  ])('%s does not', key => {
    expect(isSecretLikeKey(key)).toBe(false);
  });
});

describe('redactSecrets', () => {
  it('redacts every scalar under a secret-looking key, at any depth, and keeps the rest', () => {
    const { value, redactedPaths } = redactSecrets(
      {
        replicaCount: 2,
        database: { host: 'db', password: 'hunter2', port: 5432 },
        auth: { enabled: true, users: [{ name: 'a', pass: 'x' }] },
        env: [
          { name: 'API_TOKEN', value: 'abc' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        emptyToken: null,
      },
      'spec.values',
    );
    expect(value).toEqual({
      replicaCount: 2,
      database: { host: 'db', password: REDACTED, port: 5432 },
      auth: {
        enabled: REDACTED,
        users: [{ name: REDACTED, pass: REDACTED }],
      },
      // A name/value list says in the name whether the value is a secret.
      env: [
        { name: 'API_TOKEN', value: REDACTED },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
      emptyToken: null,
    });
    expect(redactedPaths).toEqual([
      'spec.values.database.password',
      'spec.values.auth.enabled',
      'spec.values.auth.users[0].name',
      'spec.values.auth.users[0].pass',
      'spec.values.env[0].value',
    ]);
  });

  it('redacts the value of a name that looks like a credential, as env lists write them', () => {
    const { value, redactedPaths } = redactSecrets(
      {
        env: [
          { name: 'DB_PASSWORD', value: 'hunter2' },
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'SMTP_KEY', value: 12345 },
        ],
      },
      'spec.values',
    );
    expect(value).toEqual({
      env: [
        { name: 'DB_PASSWORD', value: '<redacted>' },
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'SMTP_KEY', value: '<redacted>' },
      ],
    });
    expect(redactedPaths).toEqual([
      'spec.values.env[0].value',
      'spec.values.env[2].value',
    ]);
  });

  it('redacts the password of a URL and a private key block wherever they are', () => {
    const { value, redactedPaths } = redactSecrets({
      url: 'postgres://app:s3cr3t@db.internal:5432/app',
      plain: 'https://example.com/path?q=1',
      user: 'https://user@example.com',
      cert: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      'podAnnotations.example.com/x': 'redis://:pw@cache:6379',
    });
    expect(value).toEqual({
      url: `postgres://app:${REDACTED}@db.internal:5432/app`,
      plain: 'https://example.com/path?q=1',
      user: 'https://user@example.com',
      cert: REDACTED,
      'podAnnotations.example.com/x': `redis://:${REDACTED}@cache:6379`,
    });
    expect(redactedPaths).toEqual([
      'url',
      'cert',
      '["podAnnotations.example.com/x"]',
    ]);
  });

  it('redacts every URL password of a string, whatever precedes the ://', () => {
    const { value } = redactSecrets({
      urls: 'a=https://u:p1@h1/x b=git+ssh://:p2@h2 c=://u:p3@h3 d=https://h4/u:p@x',
    });
    expect(value).toEqual({
      urls: `a=https://u:${REDACTED}@h1/x b=git+ssh://:${REDACTED}@h2 c=://u:${REDACTED}@h3 d=https://h4/u:p@x`,
    });
  });

  // Cluster values may be megabytes: a backtracking regex over them held
  // the event loop for minutes (quadratic in the length).
  it('reads megabyte strings and keys in one pass', () => {
    const long = 'a.'.repeat(500_000);
    const key = 'A'.repeat(500_000);
    const { value, redactedPaths } = redactSecrets({
      [key]: long,
      tail: `${long}postgres://app:pw@db`,
    });
    expect(redactedPaths).toEqual(['tail']);
    expect(
      (value as Record<string, string>).tail.endsWith(
        `postgres://app:${REDACTED}@db`,
      ),
    ).toBe(true);
    expect((value as Record<string, string>)[key]).toBe(long);
  });
});

describe('redactUrlPasswords', () => {
  it('replaces the password of every URL in a message', () => {
    expect(
      redactUrlPasswords(
        'failed to fetch https://deploy:S3cr3tT0ken@charts.example.com/stable/index.yaml : 401; mirror oci://ci:p4ss@registry.test/x',
      ),
    ).toBe(
      'failed to fetch https://deploy:<redacted>@charts.example.com/stable/index.yaml : 401; mirror oci://ci:<redacted>@registry.test/x',
    );
  });

  it('reads the user info as Go does: to the last @ of the authority, which ends at / ? #', () => {
    expect(
      redactUrlPasswords(
        'https://ci:p@ss@host/x https://me@corp.com:S3cret@charts.example.com',
      ),
    ).toBe(
      'https://ci:<redacted>@host/x https://me@corp.com:<redacted>@charts.example.com',
    );
    // A port, a query with an address, a user without password: no password.
    for (const text of [
      'https://grafana.example.com:3000?var-owner=alice@corp.com',
      'https://grafana.example.com:3000/d/x#owner:a@b',
      'ssh://git@github.com:22/org/repo.git',
    ]) {
      expect(redactUrlPasswords(text)).toBe(text);
    }
  });

  it('keeps JSON text valid: a replacement never leaves its string', () => {
    const answer = {
      url: 'https://charts.example.com',
      contact: 'ops:team@example.com',
      source: 'https://deploy:S3cr3t@charts.example.com',
      // Escaped in JSON (\"): left as it is rather than cut mid-escape.
      quoted: 'https://a:b"c@host',
    };
    const json = redactUrlPasswords(JSON.stringify(answer));
    expect(JSON.parse(json)).toEqual({
      ...answer,
      source: 'https://deploy:<redacted>@charts.example.com',
    });
  });
});
