#!/usr/bin/env bash
# Builds kube-apiserver and etcd from source (Go module proxy) for the real
# control planes of packages/kube-testbed. Each version is built once into a
# cache outside the clone ($GITOPS_PROMOTION_CACHE, default
# ~/.cache/gitops-promotion), so later clones on the same machine reuse it; a
# later run with the binaries present is a no-op.
#
#   scripts/kube/build.sh            # default versions below
#   KUBE_VERSION=v1.35.4 ETCD_VERSION=v3.6.16 scripts/kube/build.sh
#   scripts/kube/build.sh --fetch-only   # download the modules, build nothing
#                                        # (scripts/test.sh, while lint runs)
#
# Writes .tools/kube/binaries.json (in the clone), which kubeBinaries() in
# packages/kube-testbed reads to find the binaries.
set -euo pipefail

FETCH_ONLY=false
[[ "${1:-}" == --fetch-only ]] && FETCH_ONLY=true
KUBE_VERSION="${KUBE_VERSION:-v1.36.3}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${GITOPS_PROMOTION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-promotion}"
KUBE_TOOLS="$CACHE/kube"
APISERVER_BIN="$KUBE_TOOLS/$KUBE_VERSION/bin/kube-apiserver"
ETCD_BIN="$KUBE_TOOLS/etcd-$ETCD_VERSION/bin/etcd"
MANIFEST_DIR="$REPO_ROOT/.tools/kube"

fail() {
  echo "scripts/kube/build.sh: $*" >&2
  exit 1
}

source "$(dirname "${BASH_SOURCE[0]}")/../lib/go.sh"
command -v go >/dev/null || fail "go is not on PATH: install Go 1.21 or newer (it fetches the Go release the modules need)"

# Go's caches sit beside the binaries (measured in docs/kube-testbed.md);
# -modcacherw keeps the module cache deletable with rm -rf.
export GOMODCACHE="${GOMODCACHE:-$CACHE/go/mod}"
export GOCACHE="${GOCACHE:-$CACHE/go/cache}"
export GOFLAGS="-modcacherw"
export CGO_ENABLED=0
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"

# Builds the main package $2 of module $1@$3 into $4, from a throwaway module in $5
# that gets extra go.mod lines from stdin (replace directives).
build_tool() {
  local module="$1" package="$2" version="$3" output="$4" workdir="$5" ldflags="$6"
  mkdir -p "$workdir" "$(dirname "$output")"
  {
    echo "module kube-testbed.local/build"
    echo
    echo "go 1.25"
    echo
    echo "require $module $version"
    echo
    cat
    echo
    echo "tool $package"
  } >"$workdir/go.mod"
  (
    cd "$workdir"
    go mod tidy >/dev/null ||
      fail "cannot resolve $module@$version through $(go env GOPROXY): see the go mod tidy error above"
    $FETCH_ONLY && exit 0
    go build -trimpath -ldflags="-s -w $ldflags" -o "$output.tmp" "$package" ||
      fail "go build $package@$version failed (see above)"
    mv "$output.tmp" "$output"
  )
}

# k8s.io/kubernetes points every staging module (k8s.io/api, k8s.io/apiserver, ...)
# at ./staging/src with a v0.0.0 requirement; as a dependency those must be
# replaced by the published v0.<minor>.<patch> releases of the same commit.
kube_staging_replaces() {
  local gomod staging_version="v0.${KUBE_VERSION#v1.}"
  gomod="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | jq -r '.GoMod // empty')" || true
  [[ -n "$gomod" ]] || fail "k8s.io/kubernetes@$KUBE_VERSION not found on the module proxy (list: go list -m -versions k8s.io/kubernetes)"
  go mod edit -json "$gomod" |
    jq -r --arg v "$staging_version" \
      '.Replace[] | select(.New.Path | startswith("./staging/")) | "replace \(.Old.Path) => \(.Old.Path) \($v)"'
}

build_kube_apiserver() {
  local workdir="$KUBE_TOOLS/build/kubernetes-$KUBE_VERSION" minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  # What `kubectl version` and /version report; the release scripts set the same.
  local version_ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    version_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  local replaces
  replaces="$(kube_staging_replaces)"
  [[ -n "$replaces" ]] || fail "no staging replace directives found in k8s.io/kubernetes@$KUBE_VERSION go.mod"
  echo "building kube-apiserver $KUBE_VERSION ($(wc -l <<<"$replaces") staging modules at v0.$minor.x)"
  build_tool k8s.io/kubernetes k8s.io/kubernetes/cmd/kube-apiserver "$KUBE_VERSION" \
    "$APISERVER_BIN" "$workdir" "$version_ldflags" <<<"$replaces"
}

build_etcd() {
  echo "building etcd $ETCD_VERSION"
  # In etcd 3.5/3.6 the server module root (server/main.go) is the etcd binary.
  # GitSHA is what `etcd --version` prints as "Git SHA": the tag is all we have.
  build_tool go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3 "$ETCD_VERSION" \
    "$ETCD_BIN" "$KUBE_TOOLS/build/etcd-$ETCD_VERSION" \
    "-X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" </dev/null
}

command -v jq >/dev/null || fail "jq is needed to read the kubernetes go.mod: apt-get install jq"

started=$SECONDS
# Clones on one machine share the cache: one build at a time.
mkdir -p "$CACHE"
exec 9>"$CACHE/.kube-build.lock"
flock 9
[[ -x "$APISERVER_BIN" ]] || build_kube_apiserver
[[ -x "$ETCD_BIN" ]] || build_etcd
$FETCH_ONLY && exit 0

"$APISERVER_BIN" --version >/dev/null || fail "$APISERVER_BIN does not run"
"$ETCD_BIN" --version >/dev/null || fail "$ETCD_BIN does not run"

mkdir -p "$MANIFEST_DIR"
cat >"$MANIFEST_DIR/binaries.json" <<EOF
{
  "kubeVersion": "$KUBE_VERSION",
  "etcdVersion": "$ETCD_VERSION",
  "kubeApiServer": "$APISERVER_BIN",
  "etcd": "$ETCD_BIN"
}
EOF

if ((SECONDS - started > 5)); then
  echo "built in $((SECONDS - started)) s; disk used:"
  du -sh "$GOMODCACHE" "$GOCACHE" "$APISERVER_BIN" "$ETCD_BIN" 2>/dev/null || true
fi
echo "kube-apiserver: $APISERVER_BIN"
echo "etcd: $ETCD_BIN"
