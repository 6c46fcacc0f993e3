#!/usr/bin/env bash
# Measures dbfault against a direct connection, socat, haproxy and NetCrusher in one run and
# writes BENCHMARKS.md. Needs a JDK; installs socat, haproxy and pgbench from Debian's
# packages when they are missing; starts its own embedded PostgreSQL.
#
#   bench/run.sh [--rounds N] [--seconds S] [--output FILE]
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v socat >/dev/null || missing+=(socat)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v pgbench >/dev/null || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[bench] installing ${missing[*]}" >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

echo "[bench] building" >&2
./mvnw -q -B -pl bench -am package -DskipTests

exec java -Xms512m -cp "bench/target/dbfault-bench-0.2.0-SNAPSHOT.jar:bench/target/lib/*" dev.dbfault.bench.Benchmark \
  --core-jar core/target/dbfault-core-0.2.0-SNAPSHOT.jar --command "bench/run.sh${*:+ $*}" "$@"
