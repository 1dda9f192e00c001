#!/usr/bin/env node
/*
 * Checks a packed package (.tgz) the way a registry and an adopter's
 * install see it: real versions (no workspace: ranges), not private, an
 * open-source license with its LICENSE file, repository and homepage,
 * exports that point at files in the tarball, and every package its
 * JavaScript or type declarations import declared as a dependency or peer
 * dependency (an undeclared one breaks an adopter's install or type check).
 *
 * Usage: node scripts/adoption/checkPackage.js <package.tgz>...
 * Prints one line per problem; exits 1 when there is any.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { builtinModules } = require('node:module');

const BUILTINS = new Set(builtinModules);

/** The package an import specifier names, or undefined for relative and builtin ones. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  if (specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@')
    ? parts.slice(0, 2).join('/')
    : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

// Module syntax as the builds (Rollup, API extractor) write it.
const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/.*)?$/;

function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = new Set();
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (!PACKAGE_NAME.test(match[1]) && !match[1].startsWith('.')) continue;
      const pkg = packageOf(match[1]);
      if (pkg) found.add(pkg);
    }
  }
  return found;
}

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (!exportsField || typeof exportsField !== 'object') return [];
  return Object.entries(exportsField).flatMap(([key, value]) =>
    key === 'backstage' ? [] : exportTargets(value),
  );
}

function check(tarball) {
  const problems = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-package-'));
  try {
    execFileSync('tar', ['xzf', tarball, '-C', dir]);
    const root = path.join(dir, 'package');
    const pkg = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    const say = message => problems.push(`${pkg.name}: ${message}`);

    if (pkg.private) say('is private: registries refuse to publish it');
    if (pkg.license !== 'Apache-2.0')
      say(`license is ${pkg.license}, not Apache-2.0`);
    if (!fs.existsSync(path.join(root, 'LICENSE'))) say('has no LICENSE file');
    if (!fs.existsSync(path.join(root, 'README.md'))) say('has no README.md');
    for (const field of ['description', 'homepage', 'repository', 'keywords']) {
      if (!pkg[field]) say(`has no ${field}`);
    }
    const backstage = pkg.backstage ?? {};
    if (!backstage.role) say('has no backstage.role');
    if (!backstage.pluginId) say('has no backstage.pluginId');
    if (!Array.isArray(backstage.pluginPackages))
      say('has no backstage.pluginPackages');

    const declared = new Set();
    for (const field of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) {
        declared.add(name);
        if (!/^[\^~]?\d/.test(range) && !range.includes('||')) {
          say(`${field} has ${name}@${range}, not a registry version range`);
        }
      }
    }

    for (const target of [
      pkg.main,
      pkg.module,
      pkg.types,
      ...exportTargets(pkg.exports),
    ].filter(Boolean)) {
      if (!fs.existsSync(path.join(root, target)))
        say(`points at ${target}, which is not in the tarball`);
    }

    const dist = path.join(root, 'dist');
    if (!fs.existsSync(dist)) {
      say('has no dist/ folder: build it before packing');
      return problems;
    }
    const undeclared = new Map();
    // The config schema ships beside dist/ and is read by the adopter's tooling.
    const schemas = [pkg.configSchema]
      .filter(f => typeof f === 'string')
      .map(f => path.join(root, f))
      .filter(f => fs.existsSync(f));
    for (const file of [...filesUnder(dist), ...schemas]) {
      if (!/\.(c|m)?js$|\.d\.ts$/.test(file)) continue;
      for (const name of importsOf(file)) {
        if (name !== pkg.name && !declared.has(name)) {
          if (!undeclared.has(name))
            undeclared.set(name, path.relative(root, file));
        }
      }
    }
    for (const [name, file] of undeclared) {
      say(
        `${file} imports ${name}, which is not a dependency or peer dependency`,
      );
    }
    return problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const tarballs = process.argv.slice(2);
if (tarballs.length === 0) {
  console.error('usage: checkPackage.js <package.tgz>...');
  process.exit(2);
}
const problems = tarballs.flatMap(check);
for (const problem of problems) console.log(problem);
process.exit(problems.length > 0 ? 1 : 0);
