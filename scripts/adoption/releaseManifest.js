#!/usr/bin/env node
/*
 * Writes the Backstage release manifest this repository is built and tested
 * against, in the format `backstage-cli versions:bump` reads from
 * BACKSTAGE_MANIFEST_FILE: { releaseVersion, packages: [{ name, version }] }.
 * The release is backstage.json's; the versions are those of every
 * @backstage package in yarn.lock (the newest where several are locked).
 *
 * The bump tool normally fetches the manifest from versions.backstage.io,
 * which this project's machines cannot reach; the adoption test bumps a
 * freshly generated app with this file instead.
 *
 * Usage: node scripts/adoption/releaseManifest.js <repo-root> <out.json>
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [root, out] = process.argv.slice(2);
if (!root || !out) {
  console.error('usage: releaseManifest.js <repo-root> <out.json>');
  process.exit(2);
}

const { version: releaseVersion } = JSON.parse(
  fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'),
);
const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');

// "@backstage/foo@npm:^1.2.3, @backstage/foo@npm:^1.2.0":\n  version: 1.2.4
const ENTRY = /^"(@backstage\/[^@"]+)@npm:[^\n]*\n {2}version: ([^\n]+)/gm;
const newer = (a, b) => {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] > pb[i] ? a : b;
  }
  return a;
};
const versions = new Map();
for (const [, name, version] of lock.matchAll(ENTRY)) {
  const known = versions.get(name);
  versions.set(name, known ? newer(known, version) : version);
}

const packages = [...versions]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, version]) => ({ name, version }));
fs.writeFileSync(
  out,
  `${JSON.stringify({ releaseVersion, packages }, null, 2)}\n`,
);
console.log(
  `release manifest: Backstage ${releaseVersion}, ${packages.length} packages -> ${out}`,
);
