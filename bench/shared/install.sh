#!/usr/bin/env bash
# Sourced by bench/*/run.sh after tools/env.sh: installs what a benchmark needs beyond the workspace,
# cached under $SPARK_CACHE_DIR (~/.cache/spark) or in the bench's own node_modules, and only once.

# bench_ensure_apt COMMAND PACKAGE: the Debian package that brings COMMAND (apt-get when root).
bench_ensure_apt() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null && return 0
  [ "$(id -u)" = 0 ] || spark_die "$command not found: install the Debian package $package (apt-get install -y $package)"
  spark_log "installing $package from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$package" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "$package" >/dev/null; } \
    || spark_die "apt-get install $package failed"
  command -v "$command" >/dev/null || spark_die "$package is installed but $command is still not on PATH"
}

# bench_ensure_venv NAME REQUIREMENTS: prints the path of a venv with REQUIREMENTS installed, kept
# under $SPARK_CACHE_DIR/bench-venvs/NAME-<hash of the requirements>.
bench_ensure_venv() {
  local name="$1" requirements="$2" hash venv
  hash="$(sha256sum "$requirements" | cut -c1-12)"
  venv="$SPARK_CACHE_DIR/bench-venvs/$name-$hash"
  if [ ! -f "$venv/.complete" ]; then
    command -v python3 >/dev/null || bench_ensure_apt python3 python3
    spark_log "installing $(grep -v '^#' "$requirements" | tr '\n' ' ') into $venv"
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >&2; then
      # Debian's python3 makes venvs only with python3-venv installed.
      [ "$(id -u)" = 0 ] || spark_die "python3 -m venv failed: apt-get install python3-venv"
      rm -rf "$venv"
      DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >/dev/null \
        || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv >/dev/null; }
      python3 -m venv "$venv" >&2 || spark_die "python3 -m venv failed"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2 \
      || spark_die "pip install -r $requirements failed"
    touch "$venv/.complete"
  fi
  printf '%s\n' "$venv"
}

# bench_ensure_npm DIR: the packages pinned by DIR/package-lock.json, in DIR/node_modules.
bench_ensure_npm() {
  local dir="$1" stamp want
  stamp="$dir/node_modules/.spark-lock-hash"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)-$(node -v)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  spark_log "installing the packages of $dir from its package-lock.json"
  # `npm install` rather than `npm ci`, for the reason given in tools/env.sh (other platforms' optional binaries).
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2) || spark_die "npm install in $dir failed"
  echo "$want" >"$stamp"
}

# bench_ensure_go_tool NAME MODULE@VERSION: prints the path of the binary, built once with
# `go install` into $SPARK_CACHE_DIR/NAME-VERSION.
bench_ensure_go_tool() {
  local name="$1" module="$2" version dir
  version="${module##*@}"
  dir="$SPARK_CACHE_DIR/$name-$version"
  if [ ! -x "$dir/$name" ]; then
    command -v go >/dev/null || spark_die "go not found: Go 1.24+ is needed to build $name once (see the README's prerequisites)"
    spark_log "building $module into $dir (once)"
    mkdir -p "$dir"
    (cd "$dir" && GOBIN="$dir" GOFLAGS=-mod=mod go install "$module" >&2) || spark_die "go install $module failed"
  fi
  printf '%s\n' "$dir/$name"
}
