import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_KINDS, ObjectKind } from '../kinds';
import { FailureCategory, ObjectRef } from '../types/view';
import { objectRef } from './refs';
import { nextSteps, shellQuote } from './kubectl';

/**
 * Values a cluster, a spec or a config file could carry to make a copied
 * command run something else: command separators, substitutions, quotes,
 * globs, a newline, an option.
 */
const HOSTILE = [
  'x;touch${IFS}MARK;#',
  'ns$(touch MARK)',
  '`touch MARK`',
  "it's'$(touch MARK)'",
  'a"b\\"$(touch MARK)',
  'two words && touch MARK',
  '*',
  '~root',
  '=ls',
  'line\ntouch MARK',
  '--kubeconfig=/tmp/evil',
  '',
  'ünïcode|touch MARK',
];

const CATEGORIES: FailureCategory[] = [
  'network',
  'authentication',
  'configuration',
  'dependency',
  'suspended',
  'missing',
  'in-progress',
  'unknown',
];
/** Every kind the chains hold, Bucket and ExternalArtifact included. */
const KINDS_WITH_STEPS: ObjectKind[] = ALL_KINDS;

/** The POSIX shells an engineer may paste into, where the machine has them. */
const SHELLS = ['/bin/sh', '/bin/bash'].filter(sh => fs.existsSync(sh));

/**
 * Runs `commands` in a real shell with `kubectl` replaced by a function that
 * prints its arguments, in a scratch folder holding one file (so a glob
 * would expand), and returns each command's arguments and whether anything
 * else ran (the MARK file).
 */
function runInShell(
  shell: string,
  commands: string[],
): { argvs: string[][]; marked: boolean } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-quote-'));
  try {
    fs.writeFileSync(path.join(dir, 'decoy'), '');
    const script = [
      `kubectl() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\036\\0'; }`,
      ...commands,
    ].join('\n');
    const result = spawnSync(shell, ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(`${shell} failed: ${result.stderr}`);
    }
    const argvs: string[][] = [[]];
    for (const word of result.stdout.split('\0').slice(0, -1)) {
      if (word === '\x1e') argvs.push([]);
      else argvs[argvs.length - 1].push(word);
    }
    argvs.pop(); // after the last command
    return { argvs, marked: fs.existsSync(path.join(dir, 'MARK')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One command's arguments, in each shell. */
function argvInShells(command: string): string[][] {
  return SHELLS.map(shell => {
    const { argvs, marked } = runInShell(shell, [command]);
    expect(marked).toBe(false);
    expect(argvs).toHaveLength(1);
    return argvs[0];
  });
}

function ref(overrides: Partial<ObjectRef>, kind: ObjectKind = 'HelmRelease') {
  return {
    ...objectRef('prod-eu', kind, 'payments', 'payments-api'),
    ...overrides,
  };
}

/** Every command the module builds for a ref, across categories and kinds. */
function everyCommand(
  r: (kind: ObjectKind) => ObjectRef,
  secret = 'repo-creds',
) {
  return KINDS_WITH_STEPS.flatMap(kind =>
    CATEGORIES.flatMap(category =>
      nextSteps(r(kind), category, {
        metadata: { name: 'x' },
        spec: { secretRef: { name: secret } },
      }),
    ),
  );
}

describe('shellQuote', () => {
  it.each(SHELLS)('gives %s each hostile value as one literal word', shell => {
    const { argvs, marked } = runInShell(
      shell,
      HOSTILE.map(value => `kubectl ${shellQuote(value)}`),
    );
    expect(marked).toBe(false);
    expect(argvs).toEqual(HOSTILE.map(value => [value]));
  });

  it('leaves plain Kubernetes names bare, so commands stay readable', () => {
    expect(shellQuote('kcd-podinfo')).toBe('kcd-podinfo');
    expect(shellQuote('involvedObject.kind=HelmRelease')).toBe(
      'involvedObject.kind=HelmRelease',
    );
    expect(shellQuote('{.spec.values}')).toBe("'{.spec.values}'");
  });
});

describe('nextSteps', () => {
  it('builds the commands an engineer would type, each argument a word', () => {
    const steps = nextSteps(ref({}), 'suspended');
    expect(steps).toEqual([
      'kubectl --context prod-eu -n payments describe helmrelease payments-api',
      'kubectl --context prod-eu -n payments get events --field-selector involvedObject.kind=HelmRelease,involvedObject.name=payments-api --sort-by=.lastTimestamp',
      `kubectl --context prod-eu -n payments patch helmrelease payments-api --type=merge -p '{"spec":{"suspend":false}}'`,
    ]);
    for (const argv of argvInShells(steps[2])) {
      expect(argv).toEqual([
        '--context',
        'prod-eu',
        '-n',
        'payments',
        'patch',
        'helmrelease',
        'payments-api',
        '--type=merge',
        '-p',
        '{"spec":{"suspend":false}}',
      ]);
    }
  });

  it.each(SHELLS)(
    'passes every hostile cluster name from config to %s as the literal --context value, in every command',
    shell => {
      for (const cluster of HOSTILE) {
        const commands = [
          ...new Set(everyCommand(kind => ref({ cluster }, kind))),
        ];
        expect(commands.length).toBeGreaterThan(20);
        const { argvs, marked } = runInShell(shell, commands);
        expect(marked).toBe(false);
        expect(argvs).toHaveLength(commands.length);
        for (const argv of argvs) {
          expect(argv.slice(0, 4)).toEqual([
            '--context',
            cluster,
            '-n',
            'payments',
          ]);
        }
      }
    },
  );

  it.each(HOSTILE)(
    'leaves out every command that would carry the namespace %j',
    namespace => {
      expect(everyCommand(kind => ref({ namespace }, kind))).toEqual([]);
    },
  );

  it.each(HOSTILE)(
    'leaves out the commands that would carry the object name %j, keeps the rest',
    name => {
      const commands = everyCommand(kind => ref({ name }, kind));
      // Only the namespace listing of a missing object needs no name.
      expect([...new Set(commands)].sort()).toEqual([
        'kubectl --context prod-eu -n payments get buckets.source.toolkit.fluxcd.io',
        'kubectl --context prod-eu -n payments get externalartifact',
        'kubectl --context prod-eu -n payments get gitrepository',
        'kubectl --context prod-eu -n payments get helmchart',
        'kubectl --context prod-eu -n payments get helmrelease',
        'kubectl --context prod-eu -n payments get helmrepository',
        'kubectl --context prod-eu -n payments get kustomization',
        'kubectl --context prod-eu -n payments get ocirepository',
        'kubectl --context prod-eu -n payments get releases.kubocd.kubotal.io',
      ]);
    },
  );

  it.each(HOSTILE)(
    'leaves out the secret command for a secretRef named %j',
    secret => {
      const steps = nextSteps(ref({}, 'OCIRepository'), 'authentication', {
        metadata: { name: 'x' },
        spec: { secretRef: { name: secret } },
      });
      expect(steps).toHaveLength(2);
      expect(steps.join('\n')).not.toContain('secret');
    },
  );

  it('quotes what needs it in the commands it builds for valid names', () => {
    const commands = everyCommand(kind => ref({ cluster: 'prod eu' }, kind));
    expect(commands).toContain(
      `kubectl --context 'prod eu' -n payments describe secret repo-creds`,
    );
    for (const shell of SHELLS) {
      const { argvs, marked } = runInShell(shell, commands);
      expect(marked).toBe(false);
      expect(argvs).toHaveLength(commands.length);
      expect(argvs.map(argv => argv[1])).toEqual(commands.map(() => 'prod eu'));
    }
    // JSON in an argument: quotes and braces reach kubectl as written.
    const patch = commands.find(c => c.includes(' patch helmrelease '))!;
    for (const argv of argvInShells(patch)) {
      expect(argv.slice(-2)).toEqual(['-p', '{"spec":{"suspend":false}}']);
    }
  });
});
