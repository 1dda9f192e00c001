#!/usr/bin/env node
/*
 * Applies the install steps of README.md to a Backstage app, taking every
 * command, code and config snippet from README.md itself, so the README and
 * the adoption test cannot drift apart. A step is a fenced code block right
 * after a marker comment (invisible when the README is rendered):
 *
 *   <!-- adoption-test: run -->                shell commands, in the app's root
 *   <!-- adoption-test: bump -->               `yarn backstage-cli versions:bump` (see below)
 *   <!-- adoption-test: merge-json FILE -->    deep-merges the JSON into FILE
 *   <!-- adoption-test: merge-yaml FILE -->    deep-merges the YAML into FILE (comments kept)
 *   <!-- adoption-test: write FILE -->         writes the block as FILE
 *   <!-- adoption-test: append FILE -->        appends the block to FILE
 *   <!-- adoption-test: insert FILE before TEXT -->  inserts the block before the line holding TEXT
 *
 * Steps run in README order. The bump step runs this repository's
 * backstage-cli with --skip-install (the generated app has no node_modules
 * yet; the README's next step installs) and BACKSTAGE_MANIFEST_FILE (the
 * release manifest service is out of reach here).
 *
 * Usage: node scripts/adoption/applyReadme.js <README.md> <app-dir>
 * Env: BACKSTAGE_CLI (the backstage-cli to bump with), BACKSTAGE_MANIFEST_FILE.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const MARKER =
  /<!-- adoption-test: ([^>]*?) -->\s*\n\s*```[a-z]*\n([\s\S]*?)\n```/g;

/** The marked steps of a README, in order: { action, args, body }. */
function readSteps(readme) {
  return [...fs.readFileSync(readme, 'utf8').matchAll(MARKER)].map(m => {
    const [action, ...args] = m[1].trim().split(/\s+/);
    return { action, args, body: `${m[2]}\n` };
  });
}

const isObject = v => v && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; anything else in `patch` replaces. */
function mergeJson(target, patch) {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    out[key] =
      isObject(value) && isObject(out[key])
        ? mergeJson(out[key], value)
        : value;
  }
  return out;
}

/** The same on a YAML document, so the file's comments survive. */
function mergeYamlNode(doc, map, patch) {
  for (const pair of patch.items) {
    const key = pair.key.value;
    const current = map.get(key, true);
    if (YAML.isMap(pair.value) && YAML.isMap(current)) {
      mergeYamlNode(doc, current, pair.value);
    } else {
      map.set(key, pair.value);
    }
  }
}

function apply(step, appDir, log) {
  const file = step.args[0] && path.join(appDir, step.args[0]);
  const sh = (script, env = {}) =>
    execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: appDir,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...env },
    });
  switch (step.action) {
    case 'run':
      sh(step.body);
      return;
    case 'bump': {
      if (step.body.trim() !== 'yarn backstage-cli versions:bump') {
        throw new Error(`bump step is not the bump command: ${step.body}`);
      }
      const cli = process.env.BACKSTAGE_CLI;
      if (!cli) throw new Error('BACKSTAGE_CLI is not set');
      sh(`"${cli}" versions:bump --skip-install --skip-migrate`);
      return;
    }
    case 'merge-json': {
      const current = JSON.parse(fs.readFileSync(file, 'utf8'));
      const merged = mergeJson(current, JSON.parse(step.body));
      fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
      return;
    }
    case 'merge-yaml': {
      const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
      const patch = YAML.parseDocument(step.body);
      if (doc.errors.length || patch.errors.length) {
        throw new Error(
          `${step.args[0]}: ${[...doc.errors, ...patch.errors][0]}`,
        );
      }
      mergeYamlNode(doc, doc.contents, patch.contents);
      fs.writeFileSync(file, doc.toString());
      return;
    }
    case 'write':
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, step.body);
      return;
    case 'append':
      fs.appendFileSync(file, step.body);
      return;
    case 'insert': {
      // insert FILE before TEXT
      const text = step.args.slice(2).join(' ');
      if (step.args[1] !== 'before' || !text) {
        throw new Error(
          `insert needs "FILE before TEXT": ${step.args.join(' ')}`,
        );
      }
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const at = lines.findIndex(line => line.includes(text));
      if (at < 0) throw new Error(`${step.args[0]} has no line with ${text}`);
      lines.splice(at, 0, ...step.body.trimEnd().split('\n'));
      fs.writeFileSync(file, lines.join('\n'));
      return;
    }
    default:
      throw new Error(`unknown adoption-test step "${step.action}"`);
  }
}

const [readme, appDir] = process.argv.slice(2);
if (!readme || !appDir) {
  console.error('usage: applyReadme.js <README.md> <app-dir>');
  process.exit(2);
}
const steps = readSteps(readme);
if (steps.length === 0) {
  console.error(`${readme} has no adoption-test steps`);
  process.exit(1);
}
for (const [i, step] of steps.entries()) {
  const what = `${step.action} ${step.args.join(' ')}`.trim();
  console.log(`README step ${i + 1}/${steps.length}: ${what}`);
  try {
    apply(step, appDir, process.stdout.fd);
  } catch (error) {
    console.error(`README step ${i + 1} (${what}) failed: ${error.message}`);
    process.exit(1);
  }
}
