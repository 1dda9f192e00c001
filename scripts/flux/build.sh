#!/usr/bin/env bash
# Builds the real Flux controllers and the servers of their sources for
# packages/kube-testbed, from the Go module proxy, by exact version:
#   source-controller, kustomize-controller, helm-controller (Flux 2.8 line),
#   gitserver (a main around github.com/fluxcd/pkg/gittestserver, in
#   scripts/flux/gitserver) and the OCI registry (distribution/v3 cmd/registry).
# The set is built once into a cache outside the clone ($GITOPS_PROMOTION_CACHE,
# default ~/.cache/gitops-promotion, Go caches shared with scripts/kube/build.sh),
# so later clones on the same machine reuse it; with the binaries present a run
# is a no-op. A lock lets several clones run it at once.
#
#   scripts/flux/build.sh
#   SOURCE_CONTROLLER_VERSION=v1.9.3 HELM_CONTROLLER_VERSION=v1.6.4 scripts/flux/build.sh
#   scripts/flux/build.sh --fetch-only   # download the modules, build nothing
#                                        # (scripts/test.sh, while lint runs)
#
# Writes .tools/flux/binaries.json (in the clone), which fluxBinaries() in
# packages/kube-testbed reads: the binaries, and the controllers' own CRDs.
set -euo pipefail

FETCH_ONLY=false
[[ "${1:-}" == --fetch-only ]] && FETCH_ONLY=true
SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.3}"
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.5}"
HELM_CONTROLLER_VERSION="${HELM_CONTROLLER_VERSION:-v1.6.4}"
GITTESTSERVER_VERSION="${GITTESTSERVER_VERSION:-v0.25.0}"
DISTRIBUTION_VERSION="${DISTRIBUTION_VERSION:-v3.0.0}"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${GITOPS_PROMOTION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-promotion}"
GITSERVER_SRC="$HERE/gitserver/main.go"
MANIFEST_DIR="$REPO_ROOT/.tools/flux"

fail() {
  echo "scripts/flux/build.sh: $*" >&2
  exit 1
}

source "$(dirname "${BASH_SOURCE[0]}")/../lib/go.sh"
command -v go >/dev/null || fail "go is not on PATH: install Go 1.21 or newer (it fetches the Go release the modules need)"
command -v jq >/dev/null || fail "jq is needed to read the controllers' go.mod: apt-get install jq"

# One version set, one folder; the gitserver source is part of the key.
SET="sc-$SOURCE_CONTROLLER_VERSION-kc-$KUSTOMIZE_CONTROLLER_VERSION-hc-$HELM_CONTROLLER_VERSION"
SET+="-gts-$GITTESTSERVER_VERSION-registry-$DISTRIBUTION_VERSION-$(sha256sum "$GITSERVER_SRC" | cut -c1-8)"
OUT="$CACHE/flux/$SET"
BIN="$OUT/bin"
PROGRAMS=(source-controller kustomize-controller helm-controller gitserver registry)

# The same Go caches as scripts/kube/build.sh: the standard library compiled once.
export GOMODCACHE="${GOMODCACHE:-$CACHE/go/mod}"
export GOCACHE="${GOCACHE:-$CACHE/go/cache}"
export GOFLAGS="-modcacherw"
export CGO_ENABLED=0
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"

module_dir() {
  local dir
  dir="$(go mod download -json "$1@$2" | jq -r '.Dir // empty')" || true
  [[ -n "$dir" ]] || fail "$1@$2 not found on the Go module proxy ($(go env GOPROXY))"
  echo "$dir"
}

# The replace directives of a controller's go.mod, except the one pointing its
# api module at ./api (the published api module of the same tag is required instead).
module_replaces() {
  go mod edit -json "$1/go.mod" |
    jq -r '.Replace[]? | select(.New.Version != null) | "\(.Old.Path) \(.New.Path) \(.New.Version)"'
}

# All five programs come from one throwaway module: Go's minimal version
# selection resolves the controllers' dependencies together, so the Kubernetes,
# controller-runtime, Helm, cloud SDK and OCI libraries they share compile once
# instead of once per controller (their own go.mod files differ in patch
# versions, down to golang.org/x/sys, so separate builds would share nothing).
build_all() {
  local work="$CACHE/flux/build/$SET" sc kc hc
  sc="$(module_dir github.com/fluxcd/source-controller "$SOURCE_CONTROLLER_VERSION")"
  kc="$(module_dir github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION")"
  hc="$(module_dir github.com/fluxcd/helm-controller "$HELM_CONTROLLER_VERSION")"
  rm -rf "$work" && mkdir -p "$work/gitserver"
  cp "$GITSERVER_SRC" "$work/gitserver/main.go"
  {
    echo "module kube-testbed.local/flux-build"
    echo
    echo "go 1.26.0"
    echo
    echo "require ("
    echo "	github.com/fluxcd/source-controller $SOURCE_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/source-controller/api $SOURCE_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/kustomize-controller/api $KUSTOMIZE_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/helm-controller $HELM_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/helm-controller/api $HELM_CONTROLLER_VERSION"
    echo "	github.com/fluxcd/pkg/gittestserver $GITTESTSERVER_VERSION"
    echo "	github.com/distribution/distribution/v3 $DISTRIBUTION_VERSION"
    echo ")"
    echo
    # Where two controllers replace the same module, the newest version wins.
    for dir in "$sc" "$kc" "$hc"; do module_replaces "$dir"; done |
      sort -k1,1 -k3,3V | awk '{ last[$1] = $2 " " $3 } END { for (p in last) print "replace " p " => " last[p] }' | sort
    echo
    for program in github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller \
      github.com/fluxcd/helm-controller github.com/distribution/distribution/v3/cmd/registry; do
      echo "tool $program"
    done
  } >"$work/go.mod"
  # The controllers' own checksums: fewer checksum-database lookups, and the
  # versions they share are verified against what their releases pinned.
  cat "$sc/go.sum" "$kc/go.sum" "$hc/go.sum" | sort -u >"$work/go.sum"
  (
    cd "$work"
    go mod tidy >/dev/null || fail "cannot resolve the Flux modules through $(go env GOPROXY): see the go mod tidy error above"
    $FETCH_ONLY && exit 0
    go list -m all >"$work/modules.txt"
    rm -rf "$BIN.tmp" && mkdir -p "$BIN.tmp"
    go build -trimpath -o "$BIN.tmp/" \
      -ldflags="-s -w -X github.com/distribution/distribution/v3/version.version=$DISTRIBUTION_VERSION" \
      github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller \
      github.com/fluxcd/helm-controller ./gitserver github.com/distribution/distribution/v3/cmd/registry ||
      fail "go build of the Flux controllers failed (see above)"
  )
  $FETCH_ONLY && return 0
  # The real CRDs, as each controller release ships them.
  rm -rf "$OUT/crds" && mkdir -p "$OUT/crds"
  for dir in "$sc" "$kc" "$hc"; do cp "$dir"/config/crd/bases/*.yaml "$OUT/crds/"; done
  cp "$work/modules.txt" "$OUT/modules.txt"
  rm -rf "$BIN" && mv "$BIN.tmp" "$BIN"
}

built() {
  local program
  for program in "${PROGRAMS[@]}"; do [[ -x "$BIN/$program" ]] || return 1; done
  [[ -n "$(ls "$OUT/crds" 2>/dev/null)" ]]
}

started=$SECONDS
mkdir -p "$CACHE"
exec 9>"$CACHE/.flux-build.lock"
flock 9
if ! built; then
  $FETCH_ONLY || echo "building the Flux controllers, gitserver and registry into $OUT"
  build_all
fi
$FETCH_ONLY && exit 0

"$BIN/registry" --version >/dev/null || fail "$BIN/registry does not run"
"$BIN/source-controller" --help >/dev/null 2>&1 || fail "$BIN/source-controller does not run"

mkdir -p "$MANIFEST_DIR"
cat >"$MANIFEST_DIR/binaries.json" <<EOF
{
  "versions": {
    "sourceController": "$SOURCE_CONTROLLER_VERSION",
    "kustomizeController": "$KUSTOMIZE_CONTROLLER_VERSION",
    "helmController": "$HELM_CONTROLLER_VERSION",
    "gittestserver": "$GITTESTSERVER_VERSION",
    "registry": "$DISTRIBUTION_VERSION"
  },
  "sourceController": "$BIN/source-controller",
  "kustomizeController": "$BIN/kustomize-controller",
  "helmController": "$BIN/helm-controller",
  "gitServer": "$BIN/gitserver",
  "registry": "$BIN/registry",
  "crdDir": "$OUT/crds"
}
EOF

if ((SECONDS - started > 5)); then
  echo "built in $((SECONDS - started)) s; disk used:"
  du -sh "$GOMODCACHE" "$GOCACHE" "$BIN" 2>/dev/null || true
fi
echo "flux binaries: $BIN"
