import fs from 'node:fs';
import path from 'node:path';

/** This package's folder (resolved through the workspace link, as resolvePackagePath does). */
export const PACKAGE_DIR = path.dirname(
  require.resolve('@internal/kube-testbed/package.json'),
);

/** The CRD manifests of this package. */
export const CRD_DIR = path.join(PACKAGE_DIR, 'crds');

/** The monorepo root: the folder above this package holding scripts/kube/build.sh. */
export function repoRoot(): string {
  for (let dir = PACKAGE_DIR; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'kube', 'build.sh'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `kube-testbed: cannot find the repository root (scripts/kube/build.sh) above ${PACKAGE_DIR}`,
      );
    }
  }
}
