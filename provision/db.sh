#!/usr/bin/env bash
# Role "db": MariaDB for the web servers, the account, the seed, the firewall.
# The password comes from the host (the facts name its file); accounts exist for the
# web servers' addresses only, and the firewall admits only them.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init db

db_address=$(fact database.address) db_name=$(fact database.name) db_user=$(fact database.user)
db_port=$(fact database.port)
[[ $(ip -o -4 addr show) == *" inet $db_address/"* ]] \
  || die "this machine does not have the database address $db_address (is its role db in $(fact lab_file)?)"
mapfile -t web_addresses < <(machines_with web | cut -d' ' -f2)

# --- the server: MariaDB on every system (Debian's, and Ubuntu's archive has it
# too), the one tested here; the exercise's MySQL speaks the same to the apps.
ensure_packages mariadb-server openssl
unit=mariadb conf_dir=/etc/mysql/mariadb.conf.d

# The settings file is read with the server's own option parser, which rejects
# an unknown or misspelt option.
validate_mysql_conf() { mariadbd --defaults-extra-file="$1" --help --verbose >/dev/null; }
# Loopback and the lab address: a list from MariaDB 10.11 (Debian 12 and 13,
# Ubuntu 24.04). Before (Debian 11's 10.5, Ubuntu 22.04's 10.6) the server takes
# one address or all: all, and the firewall still admits the web servers only.
server_version=$(mariadbd --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)
if printf '%s\n' 10.11 "$server_version" | sort -V -C; then
  bind="127.0.0.1,$db_address"
else
  bind=0.0.0.0
fi
conf=$(render "$FILES_DIR/mysql/hbnb-lab.cnf" DB_BIND="$bind" DB_PORT="$db_port")
# "zz-": read after the distribution's files, whose bind-address it replaces.
install_text "$conf" "$conf_dir/zz-hbnb-lab.cnf" 644 validate_mysql_conf && notify "$unit" restart
handlers_flush    # the SQL below needs the server as configured
ensure_enabled_and_running "$unit"
wait_until 60 "the MariaDB server to answer" mysqladmin --protocol=socket ping

# --- the database, its user and its password: the host's generated one (reference
# mode), or the curriculum's well-known dev account (practice mode), which
# students' units carry and which stays inside the lab network.
if [[ $(fact mode) == practice ]]; then
  password=$(fact database.password)
else
  password_file=$(fact database.password_file)
  [[ -s $password_file ]] || die "$password_file is missing: the host makes it (make up, or vagrant up from the project)"
  password=$(<"$password_file")
fi

# root through the server's socket (unix_socket / auth_socket authentication).
sql() { mysql --protocol=socket -u root -N -B "$@"; }
quote() { printf "'%s'" "${1//\'/\'\'}"; }

# IDENTIFIED ... for a password.
identified_by() { echo "IDENTIFIED BY $(quote "$1")"; }
wanted_hosts=(localhost "${web_addresses[@]}")
# What the apps may do at run time: read and write rows, nothing else (reference
# mode). Tables are made by the schema account below, on this machine only.
# Practice mode keeps the curriculum's setup_mysql_dev.sql: ALL PRIVILEGES.
if [[ $(fact mode) == practice ]]; then
  privileges="ALL PRIVILEGES"
else
  privileges="SELECT, INSERT, UPDATE, DELETE"
fi
# The schema account: creates the tables and seeds them (db.sh only), from
# localhost only; its password is made here and never leaves this machine.
schema_user=${db_user}_schema
schema_password_file=/etc/hbnb-lab/db-schema-password
if [[ ! -s $schema_password_file ]]; then
  (umask 077; openssl rand -hex 24 > "$schema_password_file")
  changed "generated the schema account's password ($schema_password_file)"
fi
schema_password=$(<"$schema_password_file")
# What the accounts should be; re-applied when it differs from the last run's or
# when the server's accounts differ from it (e.g. a rebuilt server).
want_stamp=$(printf '%s\n' mariadb "$db_name" "$db_user" "$password" "$privileges" "$schema_password" \
  "${wanted_hosts[@]}" | sha256sum | cut -d' ' -f1)
stamp_file=/etc/hbnb-lab/db-accounts.stamp
have_hosts=$(sql -e "SELECT Host FROM mysql.user WHERE User = $(quote "$db_user") ORDER BY Host")
have_db=$(sql -e "SHOW DATABASES LIKE $(quote "$db_name")")
if [[ $(cat "$stamp_file" 2>/dev/null) != "$want_stamp" || $have_db != "$db_name" \
      || $have_hosts != "$(printf '%s\n' "${wanted_hosts[@]}" | sort)" ]]; then
  statements="CREATE DATABASE IF NOT EXISTS \`$db_name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  for host in "${wanted_hosts[@]}"; do
    account="$(quote "$db_user")@$(quote "$host")"
    statements+="
CREATE USER IF NOT EXISTS $account $(identified_by "$password");
ALTER USER $account $(identified_by "$password");
REVOKE ALL PRIVILEGES, GRANT OPTION FROM $account;
GRANT $privileges ON \`$db_name\`.* TO $account;"
  done
  schema_account="$(quote "$schema_user")@'localhost'"
  statements+="
CREATE USER IF NOT EXISTS $schema_account $(identified_by "$schema_password");
ALTER USER $schema_account $(identified_by "$schema_password");
GRANT ALL PRIVILEGES ON \`$db_name\`.* TO $schema_account;"
  # Accounts of the user on hosts that are no longer web servers.
  while IFS= read -r host; do
    [[ -n $host ]] || continue
    [[ " ${wanted_hosts[*]} " == *" $host "* ]] \
      || statements+=$'\n'"DROP USER $(quote "$db_user")@$(quote "$host");"
  done <<< "$have_hosts"
  # The statements carry the password: through standard input, never argv.
  sql <<< "$statements" || die "the SQL setting up $db_name and $db_user failed (see above)"
  (umask 077; echo "$want_stamp" > "$stamp_file")
  changed "database $db_name, user $db_user@{${wanted_hosts[*]}} ($privileges), $schema_user@localhost"
fi

# --- the firewall: MySQL from the web servers only.
web_list=$(IFS=,; echo "${web_addresses[*]}")
firewall_role db WEB_ADDRESSES="${web_list//,/, }" DB_PORT="$db_port"

# --- the seed: once, while the database holds no state. It runs the project's own
# seed command from the application app.sh deployed.
states=$(sql -e "SELECT COUNT(*) FROM \`$db_name\`.states" 2>/dev/null || echo 0)
if [[ $states == 0 ]]; then
  log "seeding $db_name with $(fact database.seed_places) places"
  (
    export HBNB_TYPE_STORAGE=db HBNB_MYSQL_HOST=localhost HBNB_MYSQL_PORT=$db_port \
           HBNB_MYSQL_DB=$db_name HBNB_MYSQL_USER=$schema_user HBNB_MYSQL_PWD=$schema_password
    cd "$APP_DIR"
    runuser -u "$APP_USER" -- "$VENV_DIR/bin/python" -m models.seed --places "$(fact database.seed_places)"
  ) || die "the seed command failed (python3 -m models.seed, see above)"
  changed "seeded $db_name"
fi

handlers_flush
summary
