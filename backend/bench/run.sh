#!/usr/bin/env bash
# make bench — the load benchmark of the README's Performance section.
#
# For each database in BENCH_DATABASES: a fresh database, `flicket seed-demo`
# with BENCH_TICKETS tickets, the real server on loopback, then wrk with
# BENCH_CONNECTIONS connections against one ticket, the ticket list (plain,
# filtered, sorted, a deep page), ticket creation and replies. Every request
# is a new URL (requests.lua), so no cache answers: each one is built from the
# database. Prints requests/s, the 50th/99th latency percentiles and the
# errors per request kind, the seeding time, and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
  cat <<'EOF'
usage: backend/bench/run.sh [--dry-run] [--help]      (or: make bench)

  --dry-run   print the plan (databases, requests, wrk commands) and exit
  --help      this text

Environment:
  BENCH_DATABASES          databases to run, in order (default "sqlite mysql postgres";
                           "mariadb" is another name for "mysql")
  BENCH_TICKETS            tickets to seed (default 100000; 1000000 for the million run)
  BENCH_POSTS_PER_TICKET   replies per seeded ticket (default 2)
  BENCH_USERS              demo users (default 50)
  BENCH_DURATION           wrk duration per request kind (default 10s)
  BENCH_CONNECTIONS        wrk connections (default 16)
  BENCH_THREADS            wrk threads (default 2)
  BENCH_PORT               loopback port of the server (default: the first free one from 5077)
  BENCH_POSTGRES_URL       PostgreSQL server to use (default $FLICKET_TEST_POSTGRES_URL, else
                           postgres://postgres@127.0.0.1:5432/test?sslmode=disable)
  BENCH_MYSQL_URL          MariaDB/MySQL server to use (default $FLICKET_TEST_MYSQL_URL, else
                           mysql://root@127.0.0.1:3306/test)
  BENCH_ONLY               run only the request kinds whose name matches this extended regex
                           (e.g. '^search' or 'create|reply')
  BENCH_KEEP               1: seed a database named flicket_bench_keep_<tickets> (SQLite:
                           $BENCH_KEEP_DIR/flicket_bench_keep_<tickets>.db, default /var/tmp) once,
                           keep it afterwards and reuse it on the next run (a million tickets
                           take a while to seed); requests that write add to it
  BENCH_KEEP_NAME          the kept database's name instead (e.g. your own copy of a kept one)
  BENCH_WRITE_OVERHEAD     1: also run create and reply on a build whose write path skips the
                           search index (go build -tags flicket_bench_noindex), on the same
                           database, to show what keeping the index costs
The benchmark creates, and drops afterwards, a database named flicket_bench_<pid> on each server.
It prints the size of the search index on each database.
EOF
}

DRY=0
for arg in "$@"; do
  case $arg in
    -h | --help) usage; exit 0 ;;
    -n | --dry-run) DRY=1 ;;
    *) echo "bench: unknown option $arg" >&2; usage >&2; exit 2 ;;
  esac
done

TICKETS=${BENCH_TICKETS:-100000}
POSTS=${BENCH_POSTS_PER_TICKET:-2}
USERS=${BENCH_USERS:-50}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-}
PG_ADMIN_URL=${BENCH_POSTGRES_URL:-${FLICKET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}}
MY_ADMIN_URL=${BENCH_MYSQL_URL:-${FLICKET_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}}
BENCH_DB=flicket_bench_$$
KEEP=${BENCH_KEEP:-0}
KEEP_DIR=${BENCH_KEEP_DIR:-/var/tmp}
ONLY=${BENCH_ONLY:-}
OVERHEAD=${BENCH_WRITE_OVERHEAD:-0}
BIN=$PWD/bin/flicket
LUA=$PWD/backend/bench/requests.lua

# port_free PORT: nothing listens on it.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "$PORT" ]; then
  PORT=5077
  while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
fi

for v in TICKETS POSTS USERS CONNS THREADS PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || { echo "bench: BENCH_${v/CONNS/CONNECTIONS} must be a positive integer, not '${!v}'" >&2; exit 2; }
done
[ "$TICKETS" -ge 1000 ] || { echo "bench: BENCH_TICKETS must be at least 1000" >&2; exit 2; }

if [ "$KEEP" = 1 ]; then BENCH_DB=${BENCH_KEEP_NAME:-flicket_bench_keep_$TICKETS}; fi

# Database names, normalised: mariadb is mysql.
DATABASES=()
for db in ${BENCH_DATABASES:-sqlite mysql postgres}; do
  case $db in
    sqlite | postgres | mysql) DATABASES+=("$db") ;;
    mariadb) DATABASES+=(mysql) ;;
    *) echo "bench: unknown database '$db' in BENCH_DATABASES (sqlite, mysql or mariadb, postgres)" >&2; exit 2 ;;
  esac
done
[ ${#DATABASES[@]} -gt 0 ] || { echo "bench: BENCH_DATABASES is empty" >&2; exit 2; }

# with_db URL NAME: the server URL with its database replaced by NAME.
with_db() { sed -E "s#^([a-z]+://[^/]*)/[^?]*#\1/$2#" <<<"$1"; }

# The MariaDB client's arguments for a mysql:// URL.
mysql_args() {
  local rest=${1#mysql://} userinfo hostport
  rest=${rest%%/*}
  userinfo=${rest%@*}; hostport=${rest##*@}
  [ "$userinfo" = "$rest" ] && userinfo=root
  local user=${userinfo%%:*} pass=""
  [ "$user" != "$userinfo" ] && pass=${userinfo#*:}
  local host=${hostport%%:*} port=3306
  [ "$host" != "$hostport" ] && port=${hostport#*:}
  printf '%s\n' -h "$host" -P "$port" -u "$user"
  [ -n "$pass" ] && printf '%s\n' "-p$pass"
  return 0
}

# The request kinds, one per line: name|method|path|body. {a-b} is a random
# integer in [a, b], {n} a number unique to the request (requests.lua);
# $DEPTS, $PAGES and $TICKETS are filled in once the database is seeded.
requests() {
  local users_from=2 users_to=$((USERS + 1)) deep_from=$((PAGES * 3 / 4)) deep_to=$PAGES
  cat <<EOF
one ticket|GET|/flicket-api/ticket/{1-$TICKETS}|
list|GET|/flicket-api/tickets/|
list ?department&status|GET|/flicket-api/tickets/?department={1-$DEPTS}&status={1-4}|
list ?priority|GET|/flicket-api/tickets/?priority={1-3}|
list ?sort=title|GET|/flicket-api/tickets/?sort=title|
list ?sort=assigned_desc|GET|/flicket-api/tickets/?sort=assigned_desc|
list ?assigned_id|GET|/flicket-api/tickets/?assigned_id={$users_from-$users_to}|
list ?user (created or assigned)|GET|/flicket-api/tickets/?user={$users_from-$users_to}|
list ?created_id|GET|/flicket-api/tickets/?created_id={$users_from-$users_to}|
deep page|GET|/flicket-api/tickets/?page={$deep_from-$deep_to}|
create POST /tickets|POST|/flicket-api/tickets|{"title":"Bench ticket {n}","content":"Created by make bench to measure ticket creation.","category_id":{1-$CATS},"ticket_priority_id":{1-3}}
reply POST /posts|POST|/flicket-api/posts|{"ticket_id":{1-$TICKETS},"content":"Bench reply {n}: restarting the service fixed it."}
search: a rare word|GET|/flicket-api/tickets/?q={word:rare}|
search: two words|GET|/flicket-api/tickets/?q={word:medium}+{word:medium}|
search: a phrase|GET|/flicket-api/tickets/?q=%22{word:phrase}%22|
search: a word in >10 % of tickets|GET|/flicket-api/tickets/?q={word:common}|
EOF
}

if [ "$DRY" = 1 ]; then
  DEPTS=D CATS=C PAGES=$((TICKETS / 50))
  echo "bench plan: ${DATABASES[*]}; $TICKETS tickets ($POSTS replies each, $USERS users), wrk -t$THREADS -c$CONNS -d$DURATION"
  for DB in "${DATABASES[@]}"; do
    case $DB in
      sqlite) echo "$DB: sqlite://<temporary directory>/bench.db" ;;
      postgres) echo "$DB: $(with_db "$PG_ADMIN_URL" "$BENCH_DB")" ;;
      mysql) echo "$DB: $(with_db "$MY_ADMIN_URL" "$BENCH_DB")" ;;
    esac
    while IFS='|' read -r name method path body; do
      echo "  $name: wrk -t$THREADS -c$CONNS -d$DURATION --latency -s $LUA http://127.0.0.1:$PORT -- $method '$path'${body:+ '$body'}"
    done < <(requests)
  done
  exit 0
fi

command -v wrk >/dev/null || { echo "bench: wrk is required (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench: build bin/flicket first (make backend)" >&2; exit 1; }
[ "$KEEP" = 1 ] && mkdir -p "$KEEP_DIR"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  keep_db || drop_db
  rm -rf "$work"
}
# drop_db: remove the benchmark's database of the current $DB, if any.
drop_db() {
  case ${DB:-} in
    postgres) psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true ;;
    mysql) "$client" "${my_args[@]}" -e "DROP DATABASE IF EXISTS $BENCH_DB" 2>/dev/null || true ;;
    sqlite) rm -f "$work"/bench.db* ;;
  esac
}
# keep_db: whether this run keeps its databases (BENCH_KEEP=1).
keep_db() { [ "$KEEP" = 1 ]; }
trap cleanup EXIT
NOINDEX_BIN=$work/flicket-noindex
if [ "$OVERHEAD" = 1 ]; then
  echo "== building the no-search-index binary (-tags flicket_bench_noindex)" >&2
  (cd backend && go build -tags flicket_bench_noindex -o "$NOINDEX_BIN" ./cmd/flicket)
fi

results=()
summary=()
sizes=()
row() { results+=("$(printf '| %-10s | %-32s | %8s | %9s | %9s | %6s |' "$@")"); }

# run_wrk NAME METHOD PATH BODY
run_wrk() {
  local name=$1 method=$2 path=$3 body=$4 out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 30s --latency -H "Authorization: Bearer $TOKEN" \
    -s "$LUA" "http://127.0.0.1:$PORT" -- "$method" "$path" ${body:+"$body"})
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "bench: the server exited during '$name':" >&2; tail -20 "$work/$DB-server.log" >&2; exit 1
  fi
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  # Non-2xx answers and socket errors (a timeout is a request over 30 s).
  errors=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
    /Socket errors:/ {gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' <<<"$out")
  row "$DB" "$name" "$rps" "$p50" "$p99" "$errors"
  echo "  $name: $rps req/s, p50 $p50, p99 $p99, errors $errors" >&2
  sleep 2 # let requests still running in the server finish before the next kind
}

# start_server BIN: serve the current database with BIN and sign in. The
# port is chosen now, not once at the start: another bench on the machine may
# have taken it while this one seeded (then the server exits and the next
# free port is tried), and wrk must never measure someone else's server.
start_server() {
  local tries=0
  while :; do
    if [ -z "${BENCH_PORT:-}" ]; then
      PORT=5077
      while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
    fi
    FLICKET_BASE_URL=http://127.0.0.1:$PORT "$1" serve --listen "127.0.0.1:$PORT" 2>>"$work/$DB-server.log" &
    server_pid=$!
    for _ in $(seq 150); do
      kill -0 "$server_pid" 2>/dev/null || break
      curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
      sleep 0.2
    done
    kill -0 "$server_pid" 2>/dev/null && break
    wait "$server_pid" 2>/dev/null || true
    tries=$((tries + 1))
    if [ -n "${BENCH_PORT:-}" ] || [ "$tries" -ge 5 ]; then
      echo "bench: the server did not start (see $work/$DB-server.log)" >&2; tail -5 "$work/$DB-server.log" >&2; exit 1
    fi
  done
  TOKEN=$(curl -sf -u admin:bench-admin-1 -X POST "http://127.0.0.1:$PORT/flicket-api/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

# sql QUERY: run QUERY on the current benchmark database, print the answer.
sql() {
  case $DB in
    sqlite) sqlite3 "$sqlite_file" "$1" ;;
    postgres) psql "$(with_db "$PG_ADMIN_URL" "$BENCH_DB")" -Atc "$1" ;;
    mysql) "$client" "${my_args[@]}" -N -B "$BENCH_DB" -e "$1" ;;
  esac
}

# ticket_count: tickets in the current database (0 when it is new).
ticket_count() { sql "SELECT COUNT(*) FROM tickets" 2>/dev/null || echo 0; }

# index_size: the search index's size on disk, described.
index_size() {
  local mb='/ 1048576.0'
  case $DB in
    sqlite)
      command -v sqlite3 >/dev/null || { echo "(sqlite3 is needed to measure it)"; return; }
      sql "SELECT printf('%.0f MB (FTS5 ticket_fts_* tables of words, dbstat) + %.0f MB (FTS5 ticket_fts_pairs_*, word pairs); whole database %.0f MB',
        SUM(CASE WHEN name LIKE 'ticket_fts%' AND name NOT LIKE 'ticket\_fts\_pairs%' ESCAPE '\\' THEN pgsize END) $mb,
        COALESCE(SUM(CASE WHEN name LIKE 'ticket\_fts\_pairs%' ESCAPE '\\' THEN pgsize END), 0) $mb, SUM(pgsize) $mb) FROM dbstat" ;;
    postgres)
      sql "SELECT format('%s MB (GIN idx_ticket_search_doc) + %s MB (GIN idx_ticket_search_pairs) + %s MB (table ticket_search with TOAST); whole database %s MB',
        pg_relation_size('idx_ticket_search_doc') / 1048576, COALESCE(pg_relation_size(to_regclass('idx_ticket_search_pairs')), 0) / 1048576,
        (pg_total_relation_size('ticket_search') - pg_indexes_size('ticket_search')) / 1048576,
        pg_database_size(current_database()) / 1048576)" ;;
    mysql)
      # The FULLTEXT auxiliary tables of a table are named after its id.
      sql "SELECT CONCAT(ROUND(SUM(CASE WHEN s.NAME LIKE CONCAT('$BENCH_DB/FTS\\_', LPAD(HEX(d.TABLE_ID), 16, '0'), '\\_%') THEN s.ALLOCATED_SIZE ELSE 0 END) $mb), ' MB (FULLTEXT auxiliary tables FTS_* of ticket_search) + ',
        ROUND(SUM(CASE WHEN s.NAME = '$BENCH_DB/ticket_search' THEN s.ALLOCATED_SIZE ELSE 0 END) $mb), ' MB (table ticket_search) + ',
        ROUND(SUM(CASE WHEN s.NAME LIKE CONCAT('$BENCH_DB/FTS\\_', LPAD(HEX(p.TABLE_ID), 16, '0'), '\\_%') THEN s.ALLOCATED_SIZE ELSE 0 END) $mb), ' MB (FTS_* of ticket_search_pairs) + ',
        ROUND(SUM(CASE WHEN s.NAME = '$BENCH_DB/ticket_search_pairs' THEN s.ALLOCATED_SIZE ELSE 0 END) $mb), ' MB (table ticket_search_pairs); whole database ',
        ROUND(SUM(s.ALLOCATED_SIZE) $mb), ' MB') FROM information_schema.INNODB_SYS_TABLESPACES s
        LEFT JOIN information_schema.INNODB_SYS_TABLES d ON d.NAME = '$BENCH_DB/ticket_search'
        LEFT JOIN information_schema.INNODB_SYS_TABLES p ON p.NAME = '$BENCH_DB/ticket_search_pairs'
        WHERE s.NAME LIKE '$BENCH_DB/%'" ;;
  esac
}

# server_memory: the database server's own cache, as configured (MariaDB's
# InnoDB reads with O_DIRECT: what its buffer pool does not hold comes from
# the disk; PostgreSQL also reads through the OS's page cache).
server_memory() {
  case $DB in
    postgres) sql "SELECT 'shared_buffers ' || current_setting('shared_buffers')" ;;
    mysql) sql "SELECT CONCAT('innodb_buffer_pool_size ', @@innodb_buffer_pool_size DIV 1048576, ' MB')" ;;
    sqlite) echo "page cache per connection: SQLite's default" ;;
  esac
}

# api_total PATH: total_items of a list.
api_total() {
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/flicket-api$1" |
    sed -E 's/.*"total_items":([0-9]+).*/\1/'
}

for DB in "${DATABASES[@]}"; do
  case $DB in
    sqlite)
      sqlite_file=$work/bench.db
      keep_db && sqlite_file=$KEEP_DIR/$BENCH_DB.db
      url="sqlite://$sqlite_file" ;;
    postgres)
      command -v psql >/dev/null || { echo "bench: psql is required for postgres" >&2; exit 1; }
      if keep_db; then
        psql "$PG_ADMIN_URL" -Atc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" | grep -q 1 ||
          psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $BENCH_DB" >/dev/null
      else
        psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB" >/dev/null
      fi
      url=$(with_db "$PG_ADMIN_URL" "$BENCH_DB") ;;
    mysql)
      client=$(command -v mariadb || command -v mysql) || { echo "bench: the mariadb (or mysql) client is required" >&2; exit 1; }
      mapfile -t my_args < <(mysql_args "$MY_ADMIN_URL")
      if keep_db; then
        "$client" "${my_args[@]}" -e "CREATE DATABASE IF NOT EXISTS $BENCH_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
      else
        "$client" "${my_args[@]}" -e "DROP DATABASE IF EXISTS $BENCH_DB; CREATE DATABASE $BENCH_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
      fi
      url=$(with_db "$MY_ADMIN_URL" "$BENCH_DB") ;;
  esac
  export FLICKET_DATABASE_URL=$url FLICKET_ADMIN_PASSWORD=bench-admin-1 FLICKET_BCRYPT_COST=4 \
    FLICKET_UPLOAD_DIR=$work/uploads FLICKET_LOG_LEVEL=warn FLICKET_BASE_URL=http://127.0.0.1:$PORT
  have=0
  if keep_db; then have=$(ticket_count); fi
  if [ "$have" -ge "$TICKETS" ]; then
    seeded="kept: $have tickets already there"
  else
    echo "== $DB: seeding $TICKETS tickets" >&2
    seeded=$("$BIN" seed-demo --tickets "$TICKETS" --posts-per-ticket "$POSTS" --users "$USERS" | tail -1)
  fi
  echo "$seeded" >&2
  start_server "$BIN"
  DEPTS=$(api_total "/departments/?per_page=1")
  CATS=$(api_total "/categories/?per_page=1")
  PAGES=$((TICKETS / 50))
  echo "== $DB: wrk, $CONNS connections, $DURATION each ($DEPTS departments, $CATS categories)" >&2
  while IFS='|' read -r name method path body; do
    if [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]]; then continue; fi
    run_wrk "$name" "$method" "$path" "$body"
  done < <(requests)
  rss=$(awk '/^VmHWM:/ {printf "%d MB", $2 / 1024}' "/proc/$server_pid/status")
  stop_server
  if [ "$OVERHEAD" = 1 ]; then
    # The same writes on a build that skips the search index's statements.
    start_server "$NOINDEX_BIN"
    while IFS='|' read -r name method path body; do
      if [[ $name =~ ^(create|reply) ]]; then run_wrk "$name, no search index" "$method" "$path" "$body"; fi
    done < <(requests)
    stop_server
  fi
  summary+=("$(printf '| %-10s | %s | %s |' "$DB" "${seeded#added }" "$rss")")
  echo "  server peak RSS: $rss" >&2
  size=$(index_size)
  memory=$(server_memory)
  sizes+=("$(printf '| %-10s | %s | %s |' "$DB" "$size" "$memory")")
  echo "  search index: $size" >&2
  keep_db || drop_db
done
DB=""

echo
echo "Flicket load benchmark, $(date -u +%Y-%m-%d): $TICKETS tickets ($POSTS replies each, $USERS users), wrk $CONNS connections, $DURATION per request kind, every request a new URL"
echo "Machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-10s | %-32s | %8s | %9s | %9s | %6s |\n' database request "req/s" p50 p99 errors
printf '|%s|%s|%s|%s|%s|%s|\n' ------------ ---------------------------------- ---------: ----------: ----------: -------:
printf '%s\n' "${results[@]}"
echo
printf '| %-10s | %s | %s |\n' database "seed-demo" "server peak RSS"
printf '|%s|%s|%s|\n' ------------ --- ---:
printf '%s\n' "${summary[@]}"
echo
printf '| %-10s | %s | %s |\n' database "search index size" "database server cache"
printf '|%s|%s|%s|\n' ------------ --- ---
printf '%s\n' "${sizes[@]}"
