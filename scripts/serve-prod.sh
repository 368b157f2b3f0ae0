#!/usr/bin/env bash
# The production server: static files collected (hashed, compressed names,
# served by WhiteNoise), then gunicorn with config/gunicorn.conf.py.
# The environment is the configuration (README, "Production"). Locally, over
# plain HTTP on 127.0.0.1:8000:
#   DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_HTTPS=0 scripts/serve-prod.sh
# It neither migrates nor loads data: `make prod` does both first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}  # make prod: .venv-prod/bin, without any development tool

case "${DJANGO_DEBUG:-0}" in
  0|false|no|off|"") ;;
  *) echo "serve-prod: DJANGO_DEBUG=$DJANGO_DEBUG; the production server runs without debug mode (use make serve)." >&2; exit 2 ;;
esac
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  echo "serve-prod: set DJANGO_SECRET_KEY, e.g. DJANGO_SECRET_KEY=\$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2
  exit 2
fi

$BIN/python manage.py collectstatic --noinput --verbosity 0
$BIN/python manage.py createcachetable  # the shared rate-limit counters' table, where the cache is db://
exec $BIN/gunicorn --config config/gunicorn.conf.py config.wsgi
