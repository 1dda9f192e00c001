#!/usr/bin/env bash
# Builds the four publishable plugin packages and packs each into a tarball
# that `npm publish` or an app's `file:` dependency takes as it is:
#   <out>/backstage-plugin.tgz           @gitops-promotion/backstage-plugin
#   <out>/backstage-plugin-backend.tgz   @gitops-promotion/backstage-plugin-backend
#   <out>/backstage-plugin-common.tgz    @gitops-promotion/backstage-plugin-common
#   <out>/backstage-plugin-node.tgz      @gitops-promotion/backstage-plugin-node
# Usage: scripts/pack.sh [out-dir]   (default: dist-packages/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
cd "$REPO_ROOT"
out="$(mkdir -p "${1:-dist-packages}" && cd "${1:-dist-packages}" && pwd)"

# Type declarations come from the repository-wide tsc (dist-types/), which
# each package build bundles into dist/*.d.ts.
yarn tsc
# The packages build and pack independently: in parallel.
pids=()
dirs=(gitops-promotion-common gitops-promotion-node gitops-promotion-backend gitops-promotion)
for dir in "${dirs[@]}"; do
  name="$(node -p "require('./plugins/$dir/package.json').name")"
  (
    cd "plugins/$dir"
    yarn build && yarn pack --out "$out/${name#@gitops-promotion/}.tgz"
  ) >"$out/$dir.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!dirs[@]}"; do
  if wait "${pids[$i]}"; then
    rm "$out/${dirs[$i]}.log"
  else
    echo "pack: plugins/${dirs[$i]} failed to build or pack:" >&2
    tail -30 "$out/${dirs[$i]}.log" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && ls "$out"/*.tgz
exit "$status"
