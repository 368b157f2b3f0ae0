#!/usr/bin/env bash
# Fails when uv.lock does not match pyproject.toml's dependencies, or when
# requirements/prod.txt or requirements/dev.txt differ from what uv exports
# from the lock. Works offline. `make lock` brings all three up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=.venv/bin/uv

if ! $UV lock --check --offline --quiet; then
  echo "uv.lock does not match pyproject.toml: run \`make lock\` and commit uv.lock and requirements/." >&2
  exit 1
fi
stale=0
for target in prod dev; do
  case $target in
    prod) groups=(--no-dev) ;;
    dev) groups=(--all-groups) ;;
  esac
  # The header names the command that wrote the file: compared without it.
  expected=$($UV export --quiet --locked --offline "${groups[@]}" --no-emit-project --format requirements-txt \
    | sed "s#^\#    uv export .*#\#    uv export (command)#")
  actual=$(sed "s#^\#    uv export .*#\#    uv export (command)#" "requirements/$target.txt")
  if [ "$expected" != "$actual" ]; then
    echo "requirements/$target.txt is not what uv exports from uv.lock: run \`make lock\`." >&2
    stale=1
  fi
done
[ $stale = 0 ] && echo "uv.lock, requirements/prod.txt and requirements/dev.txt are up to date."
exit $stale
