#!/usr/bin/env bash
# make bench — the load benchmark of the README.
# For each database (SQLite and PostgreSQL): a fresh database, `flicket seed-demo`
# with BENCH_TICKETS tickets, the real server on loopback, then wrk with
# BENCH_CONNECTIONS connections against the ticket list (unfiltered and
# filtered by department and status; served by the one-second page cache, and
# with every request a different URL so that each page is built from the
# database), one ticket, a deep page and ticket creation. Prints requests/s
# and the 50th/99th latency percentiles.
set -euo pipefail
cd "$(dirname "$0")/../.."

TICKETS=${BENCH_TICKETS:-100000}
POSTS=${BENCH_POSTS_PER_TICKET:-2}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
PG_ADMIN_URL=${BENCH_POSTGRES_URL:-${FLICKET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}}
BIN=$PWD/bin/flicket
PORT=${BENCH_PORT:-5077}

command -v wrk >/dev/null || { echo "bench: wrk is required (apt-get install wrk)"; exit 1; }
[ -x "$BIN" ] || { echo "bench: build bin/flicket first (make backend)"; exit 1; }

work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

results=()
row() { results+=("$(printf '| %-9s | %-34s | %8s | %8s | %8s |' "$@")"); }

# run_wrk NAME URL [extra wrk args...]
run_wrk() {
  local name=$1 url=$2; shift 2
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  if [ -n "$non2xx" ]; then echo "bench: $name had $non2xx non-2xx responses" >&2; fi
  row "$DB" "$name" "$rps" "$p50" "$p99"
  echo "  $name: $rps req/s, p50 $p50, p99 $p99" >&2
}

for DB in $DATABASES; do
  case $DB in
    sqlite) url="sqlite://$work/bench.db" ;;
    postgres)
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS flicket_bench WITH (FORCE)" -c "CREATE DATABASE flicket_bench" >/dev/null
      url=$(sed -E 's#/[^/?]+(\?|$)#/flicket_bench\1#' <<<"$PG_ADMIN_URL") ;;
    *) echo "bench: unknown database $DB"; exit 1 ;;
  esac
  export FLICKET_DATABASE_URL=$url FLICKET_ADMIN_PASSWORD=bench-admin-1 FLICKET_BCRYPT_COST=4 \
         FLICKET_UPLOAD_DIR=$work/uploads FLICKET_LOG_LEVEL=warn FLICKET_BASE_URL=http://127.0.0.1:$PORT
  echo "== $DB: seeding $TICKETS tickets" >&2
  "$BIN" seed-demo --tickets "$TICKETS" --posts-per-ticket "$POSTS" --users 50 >&2
  "$BIN" serve --listen "127.0.0.1:$PORT" 2>"$work/$DB-server.log" &
  server_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$(curl -sf -u admin:bench-admin-1 -X POST "http://127.0.0.1:$PORT/flicket-api/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  deep=$(( TICKETS / 50 * 3 / 4 ))
  mid=$(( TICKETS / 2 ))
  base="http://127.0.0.1:$PORT/flicket-api"
  echo "== $DB: wrk, $CONNS connections, $DURATION each" >&2
  run_wrk "list /tickets/" "$base/tickets/"
  run_wrk "list ?department=1&status=1" "$base/tickets/?department=1&status=1"
  run_wrk "list ?state=open&sort=priority_desc" "$base/tickets/?state=open&sort=priority_desc"
  run_wrk "list /tickets/, uncached" "$base/tickets/" -s backend/bench/uncached.lua
  run_wrk "list ?department&status, uncached" "$base/tickets/?department=1&status=1" -s backend/bench/uncached.lua
  run_wrk "one ticket /ticket/$mid" "$base/ticket/$mid"
  run_wrk "deep page /tickets/$deep/" "$base/tickets/$deep/"
  run_wrk "create POST /tickets" "$base/tickets" -s backend/bench/create.lua
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  if [ "$DB" = postgres ]; then psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS flicket_bench WITH (FORCE)" >/dev/null; fi
done

echo
echo "Flicket load benchmark: $TICKETS tickets ($POSTS replies each), $CONNS connections, $DURATION per endpoint, $(nproc) cores"
echo
printf '| %-9s | %-34s | %8s | %8s | %8s |\n' database endpoint "req/s" p50 p99
printf '|%s|%s|%s|%s|%s|\n' ----------- ------------------------------------ ---------- ---------- ----------
printf '%s\n' "${results[@]}"
