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

/** The Flux controllers and source servers built by scripts/flux/build.sh. */
export interface FluxBinaries {
  versions: {
    sourceController: string;
    kustomizeController: string;
    helmController: string;
    gittestserver: string;
    registry: string;
  };
  sourceController: string;
  kustomizeController: string;
  helmController: string;
  /** scripts/flux/gitserver: gittestserver as a process. */
  gitServer: string;
  /** distribution/v3 cmd/registry. */
  registry: string;
  /** The controllers' own CRDs (config/crd/bases of each release). */
  crdDir: string;
}

/**
 * Reads .tools/flux/binaries.json, which scripts/flux/build.sh writes once
 * every binary is built, and checks that they are still there.
 */
export function fluxBinaries(): FluxBinaries {
  const manifest = path.join(repoRoot(), '.tools', 'flux', 'binaries.json');
  const hint =
    'run scripts/flux/build.sh to build the Flux controllers, gitserver and registry';
  if (!fs.existsSync(manifest)) {
    throw new Error(`kube-testbed: ${manifest} not found: ${hint}`);
  }
  const built: FluxBinaries = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  for (const bin of [
    built.sourceController,
    built.kustomizeController,
    built.helmController,
    built.gitServer,
    built.registry,
  ]) {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      throw new Error(`kube-testbed: ${bin} is missing: ${hint}`);
    }
  }
  if (!fs.existsSync(built.crdDir)) {
    throw new Error(`kube-testbed: ${built.crdDir} is missing: ${hint}`);
  }
  return built;
}
