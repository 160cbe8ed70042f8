#!/usr/bin/env bash
# Starts the local Redis and PostgreSQL if they are not answering, and makes sure the database
# named in HOTLINE_DATABASE_URL (default: hotline) exists. Safe to run again.
set -euo pipefail
sudo=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis on 127.0.0.1:6379"
  $sudo mkdir -p /var/lib/redis /var/log/redis
  $sudo redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/hotline.log
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "Starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -q && break; sleep 0.2; done
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis did not start: see /var/log/redis/" >&2; exit 1; }
pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL did not start: see /var/log/postgresql/" >&2; exit 1; }
url=${HOTLINE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hotline}
db=${url##*/}; db=${db%%\?*}
base=${url%/*}/postgres
if ! psql "$base" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "Creating database $db"
  psql "$base" -qc "CREATE DATABASE \"$db\""
fi
