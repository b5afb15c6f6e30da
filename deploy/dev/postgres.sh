#!/usr/bin/env bash
# PostgreSQL for the local stack and the tests: uses a server already listening on
# 127.0.0.1:5432, or starts (installing it first, as root) the distribution's cluster. Then makes
# sure each service has its own role and schema in the databases pureboot and pureboot_test.
# Idempotent. Usage: postgres.sh start|stop
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1
PORT=5432
STARTED_MARK=$PUREBOOT_VAR/postgres.started-by-pureboot
# service role -> schema it owns; a role can use only its own schema.
declare -A SCHEMAS=([pureboot_storage]=storage [pureboot_planner]=planner [pureboot_clone]=clone)
# pureboot: the running stack; pureboot_test: module tests (cleaned at start); pureboot_it: system tests;
# pureboot_vm: the boot image's VM tests (deploy/boot-image/vm-test.sh); pureboot_e2e: the console's end-to-end test
DATABASES=(pureboot pureboot_test pureboot_it pureboot_vm pureboot_e2e)

superuser_psql() {
  if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -h "$HOST" -p "$PORT" "$@" 2>/dev/null \
      || runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$PORT" "$@"
  else
    psql -v ON_ERROR_STOP=1 -q -h "$HOST" -p "$PORT" -U postgres "$@"
  fi
}

# True when every role reaches its own schema in every database.
project_roles_work() {
  local role database
  for role in "${!SCHEMAS[@]}"; do
    for database in "${DATABASES[@]}"; do
      PGPASSWORD=$role psql -h "$HOST" -p "$PORT" -U "$role" -d "$database" -tAc \
        "select 1 from information_schema.schemata where schema_name = '${SCHEMAS[$role]}'" 2>/dev/null \
        | grep -q 1 || return 1
    done
  done
}

start_server() {
  if port_open "$HOST" "$PORT"; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "no PostgreSQL on $HOST:$PORT and not root to start one"
  command -v pg_lsclusters >/dev/null || bash "$(dirname "$0")/prereqs.sh"
  local cluster version
  cluster=$(pg_lsclusters -h | head -n 1)
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main >/dev/null
    cluster=$(pg_lsclusters -h | head -n 1)
  fi
  read -r version name _ <<<"$cluster"
  log "starting PostgreSQL cluster $version/$name"
  pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
  touch "$STARTED_MARK"
  wait_until 60 "PostgreSQL" pg_isready -h "$HOST" -p "$PORT" || die "PostgreSQL did not start; see its log in /var/log/postgresql"
}

create_roles_and_schemas() {
  local role database
  for role in "${!SCHEMAS[@]}"; do
    superuser_psql -d postgres <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$role') then
    create role $role login password '$role';
  end if;
end \$\$;
SQL
  done
  for database in "${DATABASES[@]}"; do
    superuser_psql -d postgres -tAc "select 1 from pg_database where datname = '$database'" | grep -q 1 \
      || superuser_psql -d postgres -c "create database $database"
    superuser_psql -d "$database" -c "revoke create on schema public from public"
    for role in "${!SCHEMAS[@]}"; do
      superuser_psql -d "$database" -c "create schema if not exists ${SCHEMAS[$role]} authorization $role"
      superuser_psql -d "$database" -c "grant connect on database $database to $role"
    done
  done
}

case "${1:-start}" in
  start)
    start_server
    if project_roles_work; then
      log "PostgreSQL on $HOST:$PORT accepts the project's roles"
    else
      create_roles_and_schemas
      project_roles_work || die "PostgreSQL on $HOST:$PORT does not accept the project's roles (password auth on 127.0.0.1?)"
      log "PostgreSQL on $HOST:$PORT: roles and schemas ready"
    fi
    ;;
  stop)
    # Only a server this project started is stopped; a machine's own PostgreSQL keeps running.
    if [ -f "$STARTED_MARK" ]; then
      read -r version name _ <<<"$(pg_lsclusters -h | head -n 1)"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop || true
      rm -f "$STARTED_MARK"
      log "PostgreSQL stopped"
    fi
    ;;
  *) die "usage: postgres.sh start|stop" ;;
esac
