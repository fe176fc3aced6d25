#!/usr/bin/env bash
# Installs what the real-editor tests need on Debian/Ubuntu (see /work/shared/E2E.md):
#   - Debian packages chromium, libkrb5-dev (kerberos headers for code-server's native module), ripgrep
#   - code-server (real VS Code server + web workbench) into .vscode-test/code-server/
# Idempotent and non-interactive: every step is skipped when it is already done.
# Usage: scripts/e2e/install.sh            (run as root, or with passwordless sudo, for apt-get)
# Env:   CODE_SERVER_VERSION (default 4.100.3, the last release that runs on Node 20)
#        SAFEMIG_E2E_SKIP_APT=1 to never touch apt (e.g. when the packages come from elsewhere)
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server"
STAMP="$PREFIX/.installed-$CODE_SERVER_VERSION"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[e2e install] %s\n' "$*" >&2; }

# ---- 1. Debian packages ---------------------------------------------------------------
missing=()
dpkg -s chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
# libkrb5-dev (native build) and ripgrep (seeding) are only needed while code-server is not installed yet.
if [[ -f "$STAMP" ]]; then missing=("${missing[@]/libkrb5-dev}"); missing=("${missing[@]/ripgrep}"); fi
pkgs=()
for p in "${missing[@]}"; do [[ -n "$p" ]] && pkgs+=("$p"); done

if (( ${#pkgs[@]} > 0 )); then
  if [[ "${SAFEMIG_E2E_SKIP_APT:-}" != 1 ]] && ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get here: install ${pkgs[*]} yourself (point SAFEMIG_E2E_CHROMIUM at a Chromium/Chrome binary); continuing"
  elif [[ "${SAFEMIG_E2E_SKIP_APT:-}" == 1 ]]; then
    log "missing packages ${pkgs[*]} but SAFEMIG_E2E_SKIP_APT=1; continuing"
  else
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then
      if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else log "need root for apt-get install ${pkgs[*]}"; exit 1; fi
    fi
    log "apt-get install ${pkgs[*]}"
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" </dev/null
  fi
else
  log "chromium, libkrb5-dev, ripgrep already installed"
fi

# ---- 2. code-server ---------------------------------------------------------------------
installed_version() {
  node -p "require('$PREFIX/node_modules/code-server/package.json').version" 2>/dev/null || true
}

if [[ -f "$STAMP" && "$(installed_version)" == "$CODE_SERVER_VERSION" && -x "$PREFIX/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless this cache file exists:
# feed it Debian's rg instead.
# (x86_64 Linux only; elsewhere, or without rg, @vscode/ripgrep downloads its own.)
RG="$(command -v rg || true)"
TMPDIR_NODE="$(node -p "require('os').tmpdir()")"
RG_CACHE="$TMPDIR_NODE/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ -z "$RG" || "$(uname -sm)" != "Linux x86_64" ]]; then
  log "not seeding the @vscode/ripgrep cache (no rg, or not x86_64 Linux): its postinstall will download rg from GitHub"
elif [[ ! -s "$RG_TGZ" ]]; then
  log "seeding the @vscode/ripgrep cache with $RG"
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp "$RG" "$tmp/rg"
  tar -czf "$RG_TGZ" -C "$tmp" rg
  rm -rf "$tmp"
fi

log "npm install code-server@$CODE_SERVER_VERSION into $PREFIX (about a minute)"
mkdir -p "$PREFIX"
rm -f "$PREFIX"/.installed-*
# A package.json of its own so npm does not walk up to the repository's.
[[ -f "$PREFIX/package.json" ]] || printf '{ "name": "safemig-e2e-code-server", "private": true }\n' >"$PREFIX/package.json"
(
  cd "$PREFIX"
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_audit=false npm_config_fund=false \
    npm_config_update_notifier=false \
    npm install --prefix "$PREFIX" "code-server@$CODE_SERVER_VERSION" </dev/null
)

if [[ "$(installed_version)" != "$CODE_SERVER_VERSION" ]]; then
  log "code-server $CODE_SERVER_VERSION did not install (found '$(installed_version)')"
  exit 1
fi
# (--config in a temp dir: code-server writes a default config file otherwise, in ~/.config)
cfg="$(mktemp -d)"
"$PREFIX/node_modules/.bin/code-server" --config "$cfg/config.yaml" --version >&2
rm -rf "$cfg"
touch "$STAMP"
log "done"
