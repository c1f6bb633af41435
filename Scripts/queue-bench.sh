#!/usr/bin/env bash
# The shared queue's capacity (issue 20): a throw-away PostgreSQL 15 cluster (as the tests make
# one: initdb and postgres as the postgres user when run as root, a free loopback port, removed
# afterwards), then `ocrchat bench-queue` with 1, 10 and 50 simulated nodes claiming and finishing
# jobs with no reading. Usage: Scripts/queue-bench.sh OCRCHAT [JOBS]
set -euo pipefail
ocrchat=$1
jobs=${2:-5000}
bin=/usr/lib/postgresql/15/bin
folder=$(mktemp -d /tmp/ocrchat-queue-bench-XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$folder"; as_owner=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$folder"
}
trap cleanup EXIT
"${as_owner[@]}" "$bin/initdb" -D "$folder/data" -U ocrchat --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
cat <<HEADER
# The shared queue: claims a second with simulated nodes (serve --database)

\`make bench-queue\` on $(hostname): $(nproc) cores, $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC'); load average at the start
$(cut -d' ' -f1 /proc/loadavg); PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on the same machine, $jobs jobs queued for each row;
binary $ocrchat.

Each simulated node has a connection of its own and loops: claim the next job (the server's own
claim: paid first, fair order, FOR UPDATE SKIP LOCKED, a lease and an epoch), then mark it done
(the epoch-checked final write); no reading. A claim's latency is the claim alone.

HEADER
for nodes in 1 10 50; do
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U ocrchat -d postgres -c "CREATE DATABASE bench_$nodes"
    printf -- '- '
    "$ocrchat" bench-queue --database "postgres://ocrchat@127.0.0.1:$port/bench_$nodes?sslmode=disable" --nodes "$nodes" --jobs "$jobs"
done
cat <<FOOTER

What a cluster needs: files of 5 pages or fewer are read within their upload and never claimed;
a two-core node reads about a page a second (BENCHMARKS.md), so it claims a queued file (6 pages or
more) every 6 s at the most: 100 such nodes need under 20 claims a second.
FOOTER
