#!/usr/bin/env bash
# Builds the helm CLI from its Go module into a per-user cache and prints the
# binary's path on stdout (progress goes to stderr). A second run finds the
# binary and only prints its path, so callers can run this before every use.
#
#   HELM=$(bash scripts/tools/build-helm.sh)
#
# Needs Go 1.26 or later (the go directive of helm.sh/helm/v4 v4.3.2) and
# access to the Go module proxy on the first run.
set -euo pipefail

helm_version="${HELM_VERSION:-v4.3.2}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/odin-webhook/tools"
install_dir="${cache_root}/helm-${helm_version}"
binary="${install_dir}/helm"

if [[ -x "${binary}" ]]; then
  echo "${binary}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-helm: go not found on PATH; install Go 1.26 or later to build helm ${helm_version}" >&2
  exit 1
fi

mkdir -p "${cache_root}"

# Test files run in parallel and may all call this script: the first one builds
# while the others wait on the lock, then find the binary.
exec 9>"${cache_root}/helm-${helm_version}.lock"
flock 9
if [[ -x "${binary}" ]]; then
  echo "${binary}"
  exit 0
fi

# Build into a scratch folder and move the binary into place at the end, so an
# interrupted build never leaves a partial binary that a later run would trust.
scratch="$(mktemp -d "${cache_root}/helm-build.XXXXXX")"
trap 'rm -rf "${scratch}"' EXIT

echo "build-helm: building helm.sh/helm/v4/cmd/helm@${helm_version} (a few minutes on first run)" >&2
started=${SECONDS}

# The -X flag sets the version that `helm version` prints, as helm's own
# Makefile does. Without it the binary reports only the minor version (v4.3).
CGO_ENABLED=0 GOBIN="${scratch}" go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${helm_version}" \
  "helm.sh/helm/v4/cmd/helm@${helm_version}"

mkdir -p "${install_dir}"
mv "${scratch}/helm" "${binary}"
echo "build-helm: built in $((SECONDS - started)) s" >&2

echo "${binary}"
