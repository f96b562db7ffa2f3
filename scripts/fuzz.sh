#!/usr/bin/env bash
# `make fuzz`: schemathesis, every check, against the demo on PostgreSQL, once with an
# administrator's token and once with a reader's, through a real server on a loopback port.
#
#   FUZZ_DATABASE_URL  the database to (re)use; default postgres://postgres@127.0.0.1:5432/kvarter_fuzz
#   FUZZ_PORT          the loopback port; default 8765
#   FUZZ_EXAMPLES      schemathesis's --max-examples per operation and phase; default 100
#   FUZZ_ARGS          anything more for `schemathesis run` (e.g. --max-time 600, --seed 1)
#
# Reports (JUnit and NDJSON) go to var/fuzz/. The run fails on any server error or schema
# violation.
set -euo pipefail

BIN=${BIN:-.venv/bin}
export DATABASE_URL=${FUZZ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kvarter_fuzz}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-kvarter.settings.dev}
PORT=${FUZZ_PORT:-8765}
EXAMPLES=${FUZZ_EXAMPLES:-100}
OUT=${KVARTER_DATA_DIR:-var}/fuzz
mkdir -p "$OUT"

"$BIN/python" - <<'EOF'
import os
from urllib.parse import urlsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as connection:
    if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        connection.execute(f'CREATE DATABASE "{name}"')
EOF

"$BIN/kvarter" migrate --noinput -v 0
"$BIN/kvarter" demo >/dev/null
token() { "$BIN/kvarter" drf-create-token -r "$1" | awk '{print $3}'; }
ADMIN_TOKEN=$(token admin)
READER_TOKEN=$(token lasare)

"$BIN/kvarter" serve --bind "127.0.0.1:$PORT" --workers 2 >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/" && break
    sleep 1
done

status=0
for who in admin reader; do
    if [ "$who" = admin ]; then key=$ADMIN_TOKEN; else key=$READER_TOKEN; fi
    echo "== schemathesis as $who =="
    # shellcheck disable=SC2086
    "$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/schema/?format=json" \
        --checks all \
        --header "Authorization: Token $key" \
        --max-examples "$EXAMPLES" \
        --generation-allow-x00 true \
        --report junit,ndjson \
        --report-junit-path "$OUT/$who.xml" \
        --report-ndjson-path "$OUT/$who.ndjson" \
        --no-color \
        ${FUZZ_ARGS:-} || status=1
done
exit $status
