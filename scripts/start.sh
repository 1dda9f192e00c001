#!/usr/bin/env bash
# Starts the portal with the embedded demo: backend on :7007, frontend on
# http://localhost:3000, guest sign-in, fixture clusters (no cluster needed).
#
#   scripts/start.sh                    # fixture clusters (examples/clusters)
#   scripts/start.sh --local-clusters   # four real API servers, seeded from them
#
# --local-clusters starts control planes (kube-apiserver + etcd, see
# docs/kube-testbed.md) named sandbox, development, staging and production,
# points the portal at them with an app-config fragment, and stops them when
# the portal exits or on Ctrl-C. Other arguments go to `yarn start`.
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

# build.sh needs Go even to find out there is nothing to do: skip it when built.
node -e '
  const fs = require("fs");
  const built = JSON.parse(fs.readFileSync(".tools/kube/binaries.json", "utf8"));
  for (const bin of [built.kubeApiServer, built.etcd]) fs.accessSync(bin, fs.constants.X_OK);
' 2>/dev/null || "$here/kube/build.sh"

mkdir -p "$state"
log="$state/up.log"
"${testbed[@]}" up \
  --clusters sandbox,development,staging,production \
  --fixtures examples/clusters \
  --map sandbox=sandbox-alice,development=dev-eu,staging=staging-eu,production=prod-eu \
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
# From here on `up` only writes when a server dies: show it beside the portal.
tail -n 0 -f --pid="$up_pid" "$log" >&2 &

scenario="${testbed[*]} scenario"
cat <<EOF

Portal config: app-config.yaml + $fragment (operator token: read and
patch; caData; one environment per cluster). While the portal runs, change a
cluster from another terminal (in $REPO_ROOT, after
\`source scripts/lib/env.sh\`) and watch the Promotion tab of the service
follow:

  # podinfo: staging's OCIRepository pulls again (WAIT_OCI -> READY)
  $scenario fix-source --cluster staging
  # podinfo: production's registry credentials rejected (READY -> WAIT_OCI, 401)
  $scenario break-source --cluster production
  # podinfo: promote the package tag 6.7.1-p02 to production
  $scenario promote 6.7.1-p02 --cluster production
  # inventory-service: development's Git repository rejects the deploy key
  $scenario break-source --cluster development --ref GitRepository/flux-system/inventory-service

EOF

"${YARN[@]}" start --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/$fragment" "$@"
