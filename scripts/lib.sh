# Shared by scripts/demo.sh and scripts/test.sh: install what is missing, build, install, and
# run a throwaway cluster as an unprivileged user. Source it; do not run it.

DBOPT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# PG_CONFIG selects the PostgreSQL installation (default: Debian's, on PATH); see
# scripts/private_pg.sh for a private copy that parallel work can install into.
export PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BIN=$("$PG_CONFIG" --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
PACKAGES=(build-essential cmake pkg-config postgresql-15 postgresql-server-dev-15 libpq-dev
  libpg-query-dev googletest libgtest-dev postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  postgresql-15-hypopg clang-format libprotobuf-c-dev postgresql-15-cron)
# Only scripts/test.sh needs these (the demo does not): test/cli/33_report.sh renders
# `dbopt report` in headless Chromium.
TEST_PACKAGES=(chromium fonts-dejavu-core)

as_root() {
  if [[ $(id -u) == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "needs root: $*  (run as root, or as a user that may use sudo)" >&2
    return 1
  fi
}

log() { printf '\n== %s\n' "$*"; }

ensure_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build_and_install() {
  log "building dbopt"
  # A private PostgreSQL (scripts/private_pg.sh) also gets its own copy of the CLI.
  local cli_bindir=/usr/local/bin
  [[ $PG_CONFIG != pg_config && $PG_CONFIG != /usr/bin/pg_config ]] && cli_bindir=$("$PG_CONFIG" --bindir)
  (cd "$DBOPT_ROOT" && make -s -j2 all PG_CONFIG="$PG_CONFIG" CMAKE_BUILD_PARALLEL_LEVEL=2 >/dev/null &&
    as_root make -s install PG_CONFIG="$PG_CONFIG" CLI_BINDIR="$cli_bindir" >/dev/null)
}

# The OS user that owns the throwaway cluster: initdb refuses root.
cluster_user() { if [[ $(id -u) == 0 ]]; then echo postgres; else id -un; fi; }
as_cluster_user() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_cluster DIR PORT [extra postgresql.conf lines...]: initdb + start with dbopt preloaded.
start_cluster() {
  local dir=$1 port=$2
  shift 2
  mkdir -p "$dir"
  [[ $(id -u) == 0 ]] && chown postgres: "$dir"
  as_cluster_user "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  {
    echo "port = $port"
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$dir'"
    echo "shared_preload_libraries = 'dbopt'"
    echo "fsync = off"
    echo "max_connections = 40"
    echo "max_locks_per_transaction = 256"
    for line in "$@"; do echo "$line"; done
  } | as_cluster_user tee -a "$dir/data/postgresql.conf" >/dev/null
  as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
}

# start_standby PRIMARY_DIR PRIMARY_PORT STANDBY_DIR STANDBY_PORT: a streaming hot standby of
# the cluster started by start_cluster in PRIMARY_DIR (pg_basebackup -R: standby.signal and
# primary_conninfo), with its own port and socket directory, started; its log is
# STANDBY_DIR/server.log.
start_standby() {
  local primary=$1 port=$2 standby=$3 standby_port=$4
  mkdir -p "$standby"
  [[ $(id -u) == 0 ]] && chown postgres: "$standby"
  as_cluster_user "$PG_BIN/pg_basebackup" -h "$primary" -p "$port" -U postgres -D "$standby/data" \
    -R -X stream -c fast >/dev/null 2>"$standby/basebackup.log" ||
    { cat "$standby/basebackup.log"; return 1; }
  # Later lines of postgresql.conf win.
  printf "port = %s\nunix_socket_directories = '%s'\n" "$standby_port" "$standby" |
    as_cluster_user tee -a "$standby/data/postgresql.conf" >/dev/null
  as_cluster_user "$PG_BIN/pg_ctl" -D "$standby/data" -l "$standby/server.log" -w start >/dev/null
}

stop_cluster() {
  local dir=$1
  [[ -f $dir/data/postmaster.pid ]] && as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  return 0
}

# demo_workload_ms: runs demo/workload.sql against the PG* database (demo/restore.sql first
# puts back the rows an earlier run deleted, untimed) and prints its wall time in ms.
demo_workload_ms() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -f "$DBOPT_ROOT/demo/restore.sql"
  local start end
  start=$(date +%s%N)
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null -f "$DBOPT_ROOT/demo/workload.sql"
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# For the script-driven tests (test/cluster): check DESCRIPTION EXPECTED ACTUAL prints one
# "ok"/"not ok" line and counts failures in $failures.
failures=0
check() { # description expected actual
  if [[ $2 == "$3" ]]; then
    echo "ok - $1"
  else
    echo "not ok - $1: expected '$2', got '$3'"
    failures=$((failures + 1))
  fi
}
