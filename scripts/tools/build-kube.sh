#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from their Go modules at pinned
# versions into a per-user cache, for the end-to-end tests. Prints one
# `name=path` line per binary on stdout (progress goes to stderr). A binary
# already in the cache is not rebuilt, so callers can run this before every use.
#
#   bash scripts/tools/build-kube.sh          # build what is missing, print paths
#   bash scripts/tools/build-kube.sh --check  # print paths, exit 3 if any is missing
#
# Needs Go 1.26 or later (the go directive of go.etcd.io/etcd/server/v3 v3.6.16)
# and access to the Go module proxy on the first run. A first build took 12.5
# minutes on a shared 2-core machine (compiling kube-apiserver and kubectl took 10.6);
# set GOMAXPROCS to leave cores to other work.
set -euo pipefail

kube_version="${KUBE_VERSION:-v1.34.2}"
etcd_version="${ETCD_VERSION:-v3.6.16}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/odin-webhook/tools"
kube_dir="${cache_root}/kubernetes-${kube_version}"
etcd_dir="${cache_root}/etcd-${etcd_version}"

print_paths() {
  echo "kube-apiserver=${kube_dir}/kube-apiserver"
  echo "kubectl=${kube_dir}/kubectl"
  echo "etcd=${etcd_dir}/etcd"
}

all_built() {
  [[ -x "${kube_dir}/kube-apiserver" && -x "${kube_dir}/kubectl" && -x "${etcd_dir}/etcd" ]]
}

log() {
  echo "build-kube: $*" >&2
}

# Writes a module in $1 that requires $2 at $3 and imports the main packages
# listed after it from a tools file, so `go mod tidy` records every module
# those programs need. The build tag keeps the file out of any compilation,
# which is what allows importing a main package at all.
write_tools_module() {
  local dir="$1" module="$2" version="$3"
  shift 3
  {
    echo 'module odin-webhook.local/tools'
    echo
    echo 'go 1.24.0'
    echo
    echo "require ${module} ${version}"
  } >"${dir}/go.mod"
  {
    echo '//go:build tools'
    echo
    echo 'package tools'
    echo
    echo 'import ('
    local package
    for package in "$@"; do
      echo "	_ \"${package}\""
    done
    echo ')'
  } >"${dir}/tools.go"
}

# k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/client-go,
# ...) at v0.0.0 and points them at ./staging with replace directives, which Go
# ignores outside the main module. Each staging module is published at the
# matching v0.x.y tag, so the throwaway module replaces every v0.0.0 requirement
# with that release.
add_staging_replaces() {
  local dir="$1" staging_version="$2" kubernetes_mod
  kubernetes_mod="$(cd "${dir}" && go mod download -json "k8s.io/kubernetes@${kube_version}" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  if [[ -z "${kubernetes_mod}" ]]; then
    log "could not download k8s.io/kubernetes@${kube_version} from the Go module proxy"
    exit 1
  fi

  local modules
  modules="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "${kubernetes_mod}" | sort -u)"
  {
    echo
    echo 'replace ('
    local module
    for module in ${modules}; do
      echo "	${module} => ${module} ${staging_version}"
    done
    echo ')'
  } >>"${dir}/go.mod"
  log "replaced $(wc -w <<<"${modules}") staging modules with ${staging_version}"
}

# The -X flags set what `kubectl version` and the apiserver's /version report,
# as the upstream build sets them from git.
kube_ldflags() {
  local minor="${kube_version#v1.}"
  minor="${minor%%.*}"
  local flags='-s -w' package
  for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X ${package}.gitVersion=${kube_version}"
    flags+=" -X ${package}.gitMajor=1 -X ${package}.gitMinor=${minor}"
    flags+=" -X ${package}.gitTreeState=clean"
    flags+=" -X ${package}.buildDate=1970-01-01T00:00:00Z"
  done
  echo "${flags}"
}

build_kubernetes() {
  local scratch="$1" staging_version="v0.${kube_version#v1.}"
  local module_dir="${scratch}/kubernetes"
  mkdir -p "${module_dir}"

  write_tools_module "${module_dir}" k8s.io/kubernetes "${kube_version}" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  add_staging_replaces "${module_dir}" "${staging_version}"

  log "resolving modules for k8s.io/kubernetes ${kube_version}"
  (cd "${module_dir}" && go mod tidy)

  log "building kube-apiserver and kubectl ${kube_version}"
  local started=${SECONDS}
  (cd "${module_dir}" && CGO_ENABLED=0 nice go build -trimpath -ldflags "$(kube_ldflags)" \
    -o "${scratch}/out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  log "built kube-apiserver and kubectl in $((SECONDS - started)) s"

  mkdir -p "${kube_dir}"
  mv "${scratch}/out/kube-apiserver" "${scratch}/out/kubectl" "${kube_dir}/"
}

build_etcd() {
  local scratch="$1"
  local module_dir="${scratch}/etcd"
  mkdir -p "${module_dir}"

  # The server module's own go.mod has replace directives for its sibling
  # modules, so `go install module@version` rejects it. A throwaway main
  # module resolves the siblings at the versions the server requires.
  write_tools_module "${module_dir}" go.etcd.io/etcd/server/v3 "${etcd_version}" \
    go.etcd.io/etcd/server/v3
  log "resolving modules for go.etcd.io/etcd/server/v3 ${etcd_version}"
  (cd "${module_dir}" && go mod tidy)

  log "building etcd ${etcd_version}"
  local started=${SECONDS}
  (cd "${module_dir}" && CGO_ENABLED=0 nice go build -trimpath -ldflags '-s -w' \
    -o "${scratch}/out/etcd" go.etcd.io/etcd/server/v3)
  log "built etcd in $((SECONDS - started)) s"

  mkdir -p "${etcd_dir}"
  mv "${scratch}/out/etcd" "${etcd_dir}/etcd"
}

main() {
  if [[ "${1:-}" == "--check" ]]; then
    print_paths
    all_built || exit 3
    exit 0
  fi
  if [[ $# -gt 0 ]]; then
    log "unknown argument '$1'; usage: build-kube.sh [--check]"
    exit 2
  fi

  if all_built; then
    print_paths
    exit 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "go not found on PATH; install Go 1.26 or later to build kube-apiserver, kubectl and etcd"
    exit 1
  fi

  mkdir -p "${cache_root}"
  # Build into a scratch folder and move binaries into place at the end, so an
  # interrupted build never leaves a partial binary that a later run would trust.
  # Global, not local: the EXIT trap runs after main has returned.
  scratch="$(mktemp -d "${cache_root}/kube-build.XXXXXX")"
  trap 'rm -rf "${scratch}"' EXIT
  mkdir -p "${scratch}/out"

  local started=${SECONDS}
  if [[ ! -x "${kube_dir}/kube-apiserver" || ! -x "${kube_dir}/kubectl" ]]; then
    build_kubernetes "${scratch}"
  fi
  if [[ ! -x "${etcd_dir}/etcd" ]]; then
    build_etcd "${scratch}"
  fi
  log "done in $((SECONDS - started)) s"

  print_paths
}

main "$@"
