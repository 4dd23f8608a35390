#!/usr/bin/env bash
# A real MariaDB on 127.0.0.1 for the storage tests, set up by setup_mysql_test.sql.
set -euo pipefail
cd "$(dirname "$0")/.."

# Root's database account authenticates through the Unix socket: run the admin
# commands as root (through sudo when the caller is not root).
as_root() {
  if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

server_up() {
  as_root mysqladmin --connect-timeout=2 ping >/dev/null 2>&1
}

installed() {
  command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]]
}

# A MySQL server already there (students' Ubuntu) is used as it is: installing
# MariaDB next to it would conflict.
if ! installed mysqladmin || { ! installed mariadbd && ! installed mysqld; }; then
  echo "mysql-server: installing mariadb-server and mariadb-client"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    mariadb-server mariadb-client >/dev/null
fi

if ! server_up; then
  echo "mysql-server: starting the database server"
  # The init scripts run mysqld_safe themselves and need no systemd; the
  # packaged configuration binds 127.0.0.1. Without them (or when they fail),
  # mysqld_safe in the background, bound to loopback explicitly.
  if ! as_root service mariadb start >/dev/null 2>&1 \
      && ! as_root service mysql start >/dev/null 2>&1; then
    as_root install -d -o mysql -g mysql -m 0755 /run/mysqld
    as_root sh -c 'nohup mysqld_safe --bind-address=127.0.0.1 >/dev/null 2>&1 &'
  fi
  # Wait for the server to answer (up to a minute), not for a fixed time.
  for _ in $(seq 1 300); do
    server_up && break
    sleep 0.2
  done
  if ! server_up; then
    echo "mysql-server: the server did not start (see /var/log/mysql/ or syslog)" >&2
    exit 1
  fi
fi

client=mariadb
installed mariadb || client=mysql
as_root "$client" < setup_mysql_test.sql
# MariaDB's query cache in DEMAND mode, as the lab's database server has it
# (provision/files/mysql/hbnb-lab.cnf): the storage tests check that counts
# stay exact through it. Set at run time, so the host's own settings are left as
# they are; MySQL has no query cache.
if as_root "$client" -N -B -e "SELECT VERSION()" | grep -qi mariadb; then
  as_root "$client" -e "SET GLOBAL query_cache_type = DEMAND"
fi
echo "mysql-server: server up on 127.0.0.1, hbnb_test_db ready"
