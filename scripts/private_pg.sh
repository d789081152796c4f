#!/usr/bin/env bash
# Makes a private, relocated copy of Debian's PostgreSQL 15 under DIR, so a build can be
# installed and tested there without touching the system installation (useful when several
# builds are tested at once). PostgreSQL finds its share/ and lib/ relative to its binaries.
# Usage: scripts/private_pg.sh DIR   then   PG_CONFIG=DIR/lib/postgresql/15/bin/pg_config scripts/test.sh
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir/lib/postgresql" "$dir/share/postgresql"
cp -a /usr/lib/postgresql/15 "$dir/lib/postgresql/"
cp -a /usr/share/postgresql/15 "$dir/share/postgresql/"
[[ -e $dir/include ]] || ln -s /usr/include "$dir/include"
echo "PG_CONFIG=$dir/lib/postgresql/15/bin/pg_config"
