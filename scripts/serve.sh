#!/usr/bin/env bash
# Wiredup on one machine (`make serve`): `prefect server` on 127.0.0.1:4200 in the background,
# the `wiredup` process work pool, every deployment of prefect.yaml, then a worker in the
# foreground. Ctrl-C stops the worker, then the server. Nothing listens beyond loopback and
# analytics are off. The server's database and logs live under .prefect/ in this clone.
#
# WIREDUP_PORT picks another port; a server already answering there is reused (and left
# running on exit). See docs/operations.md.
set -euo pipefail

PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$PROJECT"
BIN="$PROJECT/.venv/bin"
PORT="${WIREDUP_PORT:-4200}"
POOL=wiredup
STATE="$PROJECT/.prefect"
mkdir -p "$STATE"

export PREFECT_HOME="${PREFECT_HOME:-$STATE/home}"
export PREFECT_API_URL="http://127.0.0.1:$PORT/api"
export PREFECT_UI_API_URL="$PREFECT_API_URL"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export DO_NOT_TRACK=1
export PREFECT_CLI_PROMPT=false
# Library logs (ingest, dedupe, storage) reach the flow run logs in the UI.
export PREFECT_LOGGING_EXTRA_LOGGERS="${PREFECT_LOGGING_EXTRA_LOGGERS:-ingest,dedupe,storage,pipeline,record}"
# No WIREDUP_PROJECT_DIR: `prefect deploy` below, run from this folder, records it in every
# deployment (see prefect.yaml).

healthy() { "$BIN/python" - "$PREFECT_API_URL/health" <<'EOF'
import sys, httpx
try:
    sys.exit(0 if httpx.get(sys.argv[1], timeout=2).status_code == 200 else 1)
except httpx.HTTPError:
    sys.exit(1)
EOF
}

SERVER_PID=""
stop() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "serve: stopping prefect server (pid $SERVER_PID)"
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap stop EXIT
trap 'exit 130' INT TERM

if healthy; then
    echo "serve: reusing the prefect server already answering at $PREFECT_API_URL"
else
    echo "serve: starting prefect server on 127.0.0.1:$PORT (log: $STATE/server.log)"
    "$BIN/prefect" server start --host 127.0.0.1 --port "$PORT" >"$STATE/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 240); do
        healthy && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "serve: prefect server exited; see $STATE/server.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    healthy || { echo "serve: prefect server not healthy after 120 s; see $STATE/server.log" >&2; exit 1; }
fi

if ! "$BIN/prefect" work-pool inspect "$POOL" >/dev/null 2>&1; then
    "$BIN/prefect" work-pool create "$POOL" --type process
fi
echo "serve: deploying every deployment of prefect.yaml (log: $STATE/deploy.log)"
"$BIN/prefect" deploy --all --no-prompt >"$STATE/deploy.log" 2>&1 \
    || { cat "$STATE/deploy.log" >&2; exit 1; }
grep -o "Deployment '[^']*'" "$STATE/deploy.log" | sed 's/^/serve:   /' || true

echo "serve: UI at http://127.0.0.1:$PORT  (Ctrl-C stops the worker and the server)"
echo "serve: from another shell: export PREFECT_API_URL=$PREFECT_API_URL"
# Not exec'd: the EXIT trap must still stop the server once the worker is gone.
"$BIN/prefect" worker start --pool "$POOL" --type process --name "wiredup-$(hostname)"
