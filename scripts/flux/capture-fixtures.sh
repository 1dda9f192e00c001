#!/usr/bin/env bash
# Captures what the real Flux controllers write into the common package's
# test fixtures (plugins/gitops-promotion-common/src/__fixtures__/real-flux):
# one cluster of packages/kube-testbed with source-controller,
# kustomize-controller and helm-controller, each scenario produced by acting
# on the sources. Takes about two minutes; rerun after a controller upgrade.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/env.sh"
cd "$REPO_ROOT"
"$here/../kube/build.sh" >/dev/null
"$here/build.sh" >/dev/null
out="plugins/gitops-promotion-common/src/__fixtures__/real-flux"
node --require @backstage/cli/config/nodeTransform.cjs \
  packages/kube-testbed/src/flux/captureFixtures.ts "$out"
