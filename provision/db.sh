#!/usr/bin/env bash
# Provisioner of the role "db": the AirBnB clone's database server (MySQL on Ubuntu, MariaDB on Debian) for the web servers, its user and generated password, the seed data, and the firewall.
#
# - Listens on loopback and the lab's private address (LAB_DB_ADDRESS); the
#   firewall admits the web servers (LAB_WEB_HOSTS) only, and the database user
#   exists for their addresses (and localhost) only.
# - The password is generated here at the first run (/etc/hbnb-lab/db-password,
#   root only) and never committed. The web servers need it but cannot log in
#   here, so it is handed over through the synced project folder: .vagrant/
#   hbnb-lab/db.env, mode 0600, inside the gitignored .vagrant/ folder.
#   Trade-off: on the host, that file is as safe as the project's .vagrant/
#   folder (which already holds the machines' SSH keys); with VirtualBox shared
#   folders its mode is not enforced inside the machines. It is written last, after
#   the seed, so its presence also tells the web servers the database is ready.
# - Seeds the database once (python3 -m models.seed), when it is empty.
# Idempotent: a second run changes nothing and restarts nothing.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init db
require_env LAB_WEB_HOSTS LAB_DB_ADDRESS LAB_DB_NAME LAB_DB_USER LAB_DB_PORT LAB_SEED_PLACES

[[ $(ip -o -4 addr show) == *" inet $LAB_DB_ADDRESS/"* ]] \
  || die "this machine does not have the database address LAB_DB_ADDRESS=$LAB_DB_ADDRESS (is its role db in lab.yml?)"

# The web servers' addresses, from LAB_WEB_HOSTS ("web-01=192.168.56.11 ...").
web_addresses=()
for pair in $LAB_WEB_HOSTS; do
  [[ $pair == *=* ]] || die "LAB_WEB_HOSTS entry '$pair' is not name=address"
  web_addresses+=("${pair#*=}")
done

# --- the server: the exercise's MySQL on Ubuntu; Debian has MariaDB instead.
# shellcheck source=/dev/null
. /etc/os-release
if [[ $ID == ubuntu ]]; then
  flavour=mysql server_package=mysql-server unit=mysql conf_dir=/etc/mysql/mysql.conf.d
else
  flavour=mariadb server_package=mariadb-server unit=mariadb conf_dir=/etc/mysql/mariadb.conf.d
fi
ensure_packages "$server_package" openssl

# The settings file is read with the server's own option parser, which rejects
# an unknown or misspelt option.
validate_mysql_conf() {
  if [[ $flavour == mysql ]]; then
    # Beside the server's files: Ubuntu's AppArmor profile lets mysqld read
    # /etc/mysql/ only.
    local candidate=/etc/mysql/zz-hbnb-lab.cnf.candidate status=0
    cp "$1" "$candidate"
    mysqld --defaults-extra-file="$candidate" --validate-config --user=mysql || status=$?
    rm -f "$candidate"
    return "$status"
  else
    mariadbd --defaults-extra-file="$1" --help --verbose >/dev/null
  fi
}
conf=$(render "$FILES_DIR/mysql/hbnb-lab.cnf" DB_BIND="127.0.0.1,$LAB_DB_ADDRESS" DB_PORT="$LAB_DB_PORT")
# "zz-": read after the distribution's files, whose bind-address it replaces.
if install_text "$conf" "$conf_dir/zz-hbnb-lab.cnf" 644 validate_mysql_conf; then
  systemctl restart "$unit" || { journalctl -u "$unit" -n 20 --no-pager >&2 || true; die "$unit did not restart with $conf_dir/zz-hbnb-lab.cnf"; }
  changed "restarted $unit"
fi
ensure_enabled_and_running "$unit"
wait_until 60 "the $flavour server to answer" mysqladmin --protocol=socket ping

# --- the database, its user and its password: generated here (reference mode),
# or the curriculum's well-known dev account (practice mode, lab.yml), which
# students' units carry and which stays inside the lab network.
if [[ ${LAB_MODE:-reference} == practice ]]; then
  require_env LAB_PRACTICE_DB_PASSWORD
  [[ $LAB_PRACTICE_DB_USER == "$LAB_DB_USER" ]] \
    || die "lab.yml: practice.database.user ($LAB_PRACTICE_DB_USER) and database.user ($LAB_DB_USER) differ"
  password=$LAB_PRACTICE_DB_PASSWORD
else
  secret_file=/etc/hbnb-lab/db-password
  if [[ ! -s $secret_file ]]; then
    mkdir -p /etc/hbnb-lab && chmod 700 /etc/hbnb-lab
    (umask 077; openssl rand -base64 24 | tr '+/' '-_' > "$secret_file")
    changed "generated the database password ($secret_file)"
  fi
  password=$(<"$secret_file")
fi

# root through the server's socket (unix_socket / auth_socket authentication).
sql() { mysql --protocol=socket -u root -N -B "$@"; }
quote() { printf "'%s'" "${1//\'/\'\'}"; }

if [[ $flavour == mysql ]]; then
  # PyMySQL speaks caching_sha2_password over plain TCP only with an extra
  # package; the native method needs none (MySQL 8.0 still has it).
  identified="IDENTIFIED WITH mysql_native_password BY $(quote "$password")"
else
  identified="IDENTIFIED BY $(quote "$password")"
fi
wanted_hosts=(localhost "${web_addresses[@]}")
# What the accounts should be; re-applied when it differs from the last run's or
# when the server's accounts differ from it (e.g. a rebuilt server).
want_stamp=$(printf '%s\n' "$flavour" "$LAB_DB_NAME" "$LAB_DB_USER" "$password" "${wanted_hosts[@]}" | sha256sum | cut -d' ' -f1)
stamp_file=/etc/hbnb-lab/db-accounts.stamp
have_hosts=$(sql -e "SELECT Host FROM mysql.user WHERE User = $(quote "$LAB_DB_USER") ORDER BY Host")
have_db=$(sql -e "SHOW DATABASES LIKE $(quote "$LAB_DB_NAME")")
if [[ $(cat "$stamp_file" 2>/dev/null) != "$want_stamp" || $have_db != "$LAB_DB_NAME" \
      || $have_hosts != "$(printf '%s\n' "${wanted_hosts[@]}" | sort)" ]]; then
  statements="CREATE DATABASE IF NOT EXISTS \`$LAB_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  for host in "${wanted_hosts[@]}"; do
    account="$(quote "$LAB_DB_USER")@$(quote "$host")"
    statements+="
CREATE USER IF NOT EXISTS $account $identified;
ALTER USER $account $identified;
GRANT ALL PRIVILEGES ON \`$LAB_DB_NAME\`.* TO $account;"
  done
  # Accounts of the user on hosts that are no longer web servers.
  while IFS= read -r host; do
    [[ -n $host ]] || continue
    [[ " ${wanted_hosts[*]} " == *" $host "* ]] \
      || statements+=$'\n'"DROP USER $(quote "$LAB_DB_USER")@$(quote "$host");"
  done <<< "$have_hosts"
  # The statements carry the password: through standard input, never argv.
  sql <<< "$statements" || die "the SQL setting up $LAB_DB_NAME and $LAB_DB_USER failed (see above)"
  (umask 077; echo "$want_stamp" > "$stamp_file")
  changed "database $LAB_DB_NAME and user $LAB_DB_USER@{${wanted_hosts[*]}}"
fi

# --- the firewall: MySQL from the web servers only.
web_list=$(IFS=,; echo "${web_addresses[*]}")
firewall_role db WEB_ADDRESSES="${web_list//,/, }" DB_PORT="$LAB_DB_PORT"

# --- the seed: once, while the database holds no state. It runs the project's own
# seed command from the deployed application (the web role uses the same copy).
ensure_app_user
deploy_app || true
ensure_venv || true
states=$(sql -e "SELECT COUNT(*) FROM \`$LAB_DB_NAME\`.states" 2>/dev/null || echo 0)
if [[ $states == 0 ]]; then
  log "seeding $LAB_DB_NAME with $LAB_SEED_PLACES places"
  (
    export HBNB_TYPE_STORAGE=db HBNB_MYSQL_HOST=localhost HBNB_MYSQL_PORT=$LAB_DB_PORT \
           HBNB_MYSQL_DB=$LAB_DB_NAME HBNB_MYSQL_USER=$LAB_DB_USER HBNB_MYSQL_PWD=$password
    cd "$APP_DIR"
    runuser -u "$APP_USER" -- "$VENV_DIR/bin/python" -m models.seed --places "$LAB_SEED_PLACES"
  ) || die "the seed command failed (python3 -m models.seed, see above)"
  changed "seeded $LAB_DB_NAME"
fi

# --- hand the settings to the web servers (last: the database is ready now).
shared=$(printf '%s\n' \
  "# hbnb-lab: the database of the web servers, written by provision/db.sh on the db machine." \
  "# Generated at provisioning; never commit it. web.sh copies it into /etc/hbnb/db.env." \
  "HBNB_MYSQL_HOST=$LAB_DB_ADDRESS" "HBNB_MYSQL_PORT=$LAB_DB_PORT" "HBNB_MYSQL_DB=$LAB_DB_NAME" \
  "HBNB_MYSQL_USER=$LAB_DB_USER" "HBNB_MYSQL_PWD=$password")
mkdir -p "$(dirname "$SHARED_DB_ENV")"
if [[ $(cat "$SHARED_DB_ENV" 2>/dev/null) != "$shared" ]]; then
  (umask 077; printf '%s\n' "$shared" > "$SHARED_DB_ENV.new" && mv -f "$SHARED_DB_ENV.new" "$SHARED_DB_ENV")
  changed "database settings handed to the web servers (${SHARED_DB_ENV#"$PROJECT_DIR"/})"
fi
chmod 600 "$SHARED_DB_ENV" 2>/dev/null || true

summary
