import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/** The kube-apiserver and etcd binaries built by scripts/kube/build.sh. */
export interface KubeBinaries {
  kubeVersion: string;
  etcdVersion: string;
  kubeApiServer: string;
  etcd: string;
}

/**
 * Reads .tools/kube/binaries.json, which scripts/kube/build.sh writes once
 * both binaries are built (absolute paths into the cache outside the clone;
 * older manifests hold paths relative to the repository root), and checks
 * that the binaries are still there.
 */
export function kubeBinaries(): KubeBinaries {
  const root = repoRoot();
  const manifest = path.join(root, '.tools', 'kube', 'binaries.json');
  const hint = 'run scripts/kube/build.sh to build kube-apiserver and etcd';
  if (!fs.existsSync(manifest)) {
    throw new Error(`kube-testbed: ${manifest} not found: ${hint}`);
  }
  const built: KubeBinaries = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const binaries = {
    ...built,
    kubeApiServer: path.resolve(root, built.kubeApiServer),
    etcd: path.resolve(root, built.etcd),
  };
  for (const bin of [binaries.kubeApiServer, binaries.etcd]) {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      throw new Error(`kube-testbed: ${bin} is missing: ${hint}`);
    }
  }
  return binaries;
}
