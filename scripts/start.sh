#!/usr/bin/env bash
# Starts the portal with the embedded demo: backend on :7007, frontend on
# http://localhost:3000, guest sign-in, fixture clusters (no cluster needed).
#
#   scripts/start.sh                    # fixture clusters (examples/clusters)
#   scripts/start.sh --local-clusters   # four real API servers running real Flux
#
# --local-clusters starts control planes (kube-apiserver + etcd, see
# docs/kube-testbed.md) named sandbox, development, staging and production,
# each with the real source-controller, kustomize-controller and
# helm-controller reconciling the demo's services from a git server, a Helm
# repository and an OCI registry on 127.0.0.1; points the portal at them with
# an app-config fragment, and stops everything when the portal exits or on
# Ctrl-C. Other arguments go to `yarn start`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/bootstrap.sh"
source "$here/lib/env.sh"
cd "$REPO_ROOT"

if [ "${1:-}" != "--local-clusters" ]; then
  exec "${YARN[@]}" start "$@"
fi
shift

state=".tools/run/local-clusters"
fragment="$state/app-config.local-clusters.yaml"
testbed=(node --require @backstage/cli/config/nodeTransform.cjs packages/kube-testbed/src/cli.ts)

# The build scripts keep each version apart and do nothing once it is built:
# run them, so a changed version is built rather than an old one reused.
# When they cannot run (no Go here), the binaries built last serve, said so.
if ! { "$here/kube/build.sh" && "$here/flux/build.sh"; }; then
  node -e '
    const fs = require("fs");
    const kube = JSON.parse(fs.readFileSync(".tools/kube/binaries.json", "utf8"));
    const flux = JSON.parse(fs.readFileSync(".tools/flux/binaries.json", "utf8"));
    for (const bin of [kube.kubeApiServer, kube.etcd, flux.sourceController, flux.kustomizeController,
      flux.helmController, flux.gitServer, flux.registry]) fs.accessSync(bin, fs.constants.X_OK);
  ' 2>/dev/null || exit 1
  echo "start.sh: the build scripts failed (above); starting with the binaries built last, whose versions may be older" >&2
fi

mkdir -p "$state"
log="$state/up.log"
"${testbed[@]}" up --flux \
  --state-dir "$state" --app-config "$fragment" --environments \
  >"$log" 2>&1 &
up_pid=$!

# `up` stops its control planes on SIGTERM (apiserver before etcd) and
# removes its state file; a Ctrl-C reaches it directly as well.
stop_clusters() {
  if kill -0 "$up_pid" 2>/dev/null; then
    echo "start.sh: stopping the local clusters"
    kill -TERM "$up_pid" 2>/dev/null || true
  fi
  wait "$up_pid" 2>/dev/null || true
}
trap stop_clusters EXIT
trap 'exit 130' INT TERM

for _ in $(seq 600); do
  if grep -q '^kube-testbed: ready:' "$log"; then
    break
  fi
  if ! kill -0 "$up_pid" 2>/dev/null; then
    cat "$log" >&2
    echo "start.sh: the local clusters did not start (log: $log)" >&2
    exit 1
  fi
  sleep 0.2
done
if ! grep -q '^kube-testbed: ready:' "$log"; then
  cat "$log" >&2
  echo "start.sh: the local clusters were not ready after 120 s (log: $log)" >&2
  exit 1
fi
grep '^kube-testbed: ready:' "$log"
# From here on `up` writes the scenarios it runs and any server that dies: show them beside the portal.
tail -n 0 -f --pid="$up_pid" "$log" >&2 &

scenario="${testbed[*]} scenario"
cat <<EOF

Portal config: app-config.yaml + $fragment (operator token: read and
patch; caData; one environment per cluster). Flux runs with its default
intervals (1 min) and retry backoff: a change shows when Flux notices it,
as on a real cluster (the tab's Reconcile asks at once). From another
terminal (in $REPO_ROOT, after \`source scripts/lib/env.sh\`):

  # podinfo: push a new package and promote it, environment by environment
  $scenario push-package 6.7.1-p04
  $scenario promote 6.7.1-p04 --cluster development
  # podinfo: the registry refuses the clusters' pulls (then: accept)
  $scenario registry-credentials reject
  $scenario promote 6.7.1-p04 --cluster staging
  # inventory-service: the git server rejects the credentials / goes down
  $scenario git-credentials reject        # ... accept
  $scenario git-server stop               # ... start
  # inventory-service: an invalid manifest, a missing path, the fix
  $scenario git-push invalid-manifest --cluster staging
  $scenario git-push fix --cluster staging
  # payments-api, ledger, notification-service: the Helm repository answers 401 / is down
  $scenario helm-credentials reject       # ... accept
  $scenario helm-server stop              # ... start
  # notification-service: development upgrades to a broken chart, rolls back, gives up
  $scenario push-chart 1.0.0 broken
  $scenario push-chart 1.0.1

Already failing: ledger in development (its chart requires a value the
HelmRelease lacks: retried forever), web-frontend in staging (WAIT_HREL).

EOF

"${YARN[@]}" start --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/$fragment" "$@"
