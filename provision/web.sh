#!/usr/bin/env bash
# Provisioner of the role "web" (web-01, web-02): the AirBnB clone deployed with its pinned dependencies, one Gunicorn service per app of lab.yml (the exercise's gunicorn.service for port 5003), Nginx with the exercise's final site, and the firewall.
#
# Reference mode (LAB_MODE=reference, default): the exercise done, every task.
# Practice mode: the student's server before the exercise (provision/practice.sh):
# user ubuntu, the clone in its home, Gunicorn installed globally, MySQL on
# localhost with the curriculum's account; the exercise's files are not installed.
# Every configuration is validated before it replaces the running one; services
# reload or restart only when their files changed. A second run changes nothing.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init web
require_env LAB_APPS LAB_DB_ADDRESS LAB_DB_NAME LAB_DB_PORT
mode=${LAB_MODE:-reference}
[[ $mode == reference || $mode == practice ]] || die "LAB_MODE must be reference or practice, not '$mode'"

NGINX_SITE_NAME=hbnb        # /etc/nginx/sites-enabled/hbnb -> the active site
EXERCISE_SITES=(2-app_server-nginx_config 3-app_server-nginx_config
                4-app_server-nginx_config 5-app_server-nginx_config)
FINAL_SITE=5-app_server-nginx_config
# The app of lab.yml that the exercise's own gunicorn.service runs (task 6).
EXERCISE_APP=hbnb
DB_WAIT=1200                # seconds web.sh waits for the database (web-02 may start first)

# --- the apps of lab.yml: "name,module,port,workers" each.
declare -A app_module app_port app_workers
app_names=()
for entry in $LAB_APPS; do
  IFS=, read -r name module port workers <<< "$entry"
  [[ -n $name && -n $module && $port =~ ^[0-9]+$ && $workers =~ ^[0-9]+$ ]] \
    || die "LAB_APPS entry '$entry' is not name,module,port,workers"
  for reserved in ${LAB_RESERVED_PORTS:-}; do
    [[ $port != "$reserved" ]] || die "app $name uses port $port, which lab.yml reserves (reserved_ports)"
  done
  app_names+=("$name"); app_module[$name]=$module; app_port[$name]=$port; app_workers[$name]=$workers
done
[[ -n ${app_module[$EXERCISE_APP]:-} ]] || die "lab.yml has no app '$EXERCISE_APP' (the exercise's gunicorn.service)"

# The unit of each app: gunicorn.service is the exercise's file, as handed in.
unit_of() {
  if [[ $1 == "$EXERCISE_APP" ]]; then echo gunicorn.service; else echo "gunicorn-$1.service"; fi
}

# gunicorn.service must run what lab.yml says the hbnb app is (one truth).
check_exercise_unit() {
  local file=$PROJECT_DIR/gunicorn.service exec_start
  [[ -f $file ]] || die "$file is missing (the exercise's task 6)"
  exec_start=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$file" | tr -d '\\\n' | tr -s ' ')
  [[ " $exec_start " == *" --workers ${app_workers[$EXERCISE_APP]} "* \
     && " $exec_start " == *" --bind 0.0.0.0:${app_port[$EXERCISE_APP]} "* \
     && " $exec_start " == *" ${app_module[$EXERCISE_APP]} " ]] \
    || die "gunicorn.service's ExecStart ($exec_start) does not run ${app_module[$EXERCISE_APP]} with ${app_workers[$EXERCISE_APP]} workers on 0.0.0.0:${app_port[$EXERCISE_APP]} as lab.yml's app '$EXERCISE_APP' says"
}
[[ $mode == practice ]] || check_exercise_unit

# --- packages: Nginx, jQuery for the page (web_dynamic/static/vendor links to it).
ensure_packages nginx libjs-jquery curl

# The whole Nginx configuration, as Nginx will load it, after this run changed
# the files in nginx_files; on refusal they go back to their previous versions
# and Nginx keeps running the old ones. Reloads Nginx when anything changed.
nginx_files=()
nginx_apply() {
  local output file
  if ! output=$(nginx -t 2>&1); then
    printf '%s\n' "$output" >&2
    for file in "${nginx_files[@]}"; do rollback_file "$file"; done
    die "nginx -t refused the new configuration (file:line above); previous files restored"
  fi
  if ! systemctl is-active --quiet nginx; then
    ensure_enabled_and_running nginx
  elif ((${#nginx_files[@]})); then
    must systemctl reload nginx
    changed "reloaded nginx"
  fi
  ensure_enabled_and_running nginx
}

# --- practice mode: the student's server (provision/practice.sh), and no more.
if [[ $mode == practice ]]; then
  # shellcheck source=provision/practice.sh
  . "$LIB_DIR/practice.sh"
  practice_require_env
  practice_user
  practice_checkout
  practice_python
  practice_database
  practice_stand_ins
  practice_motd
  install_file "$FILES_DIR/nginx/hbnb-lab.conf" /etc/nginx/conf.d/hbnb-lab.conf 644 validate_nginx_dropin \
    && nginx_files+=(/etc/nginx/conf.d/hbnb-lab.conf)
  practice_nginx
  nginx_apply
  firewall_role web
  wait_until 30 "Nginx to answer on http://127.0.0.1/ (systemctl status nginx)" \
    curl -s -f -o /dev/null --max-time 10 http://127.0.0.1/
  practice_snapshot
  summary
  exit 0
fi

# --- the application and its virtual environment.
ensure_app_user
deploy_app || true
ensure_venv || true
# Changed since the services last started, by this run or by db.sh's (web-01)?
services_stamp=/var/lib/hbnb-lab/services
code_now=$(app_fingerprint) venv_now=$(cat "$VENV_DIR/.hbnb-stamp")
code_changed=0 venv_changed=0
[[ $(sed -n 1p "$services_stamp" 2>/dev/null) == "$code_now" ]] || code_changed=1
[[ $(sed -n 2p "$services_stamp" 2>/dev/null) == "$venv_now" ]] || venv_changed=1

# Nginx (www-data) must reach the static files: execute permission on every
# folder above them, read on the files (the jQuery link's target included).
static_root=$APP_DIR/web_dynamic/static
for asset in "$static_root/styles/common.css" "$static_root/vendor/jquery.min.js"; do
  runuser -u www-data -- test -r "$asset" \
    || die "www-data cannot read $asset: every folder above it needs o+x, the file o+r (namei -l $asset)"
done

# --- the database settings of the services, from the db machine (see db.sh).
db_answers() {
  # shellcheck disable=SC1090,SC2016  # a settings file; Python code in quotes
  (set -a; . "$1"; "$VENV_DIR/bin/python" -c '
import os, pymysql
pymysql.connect(host=os.environ["HBNB_MYSQL_HOST"], port=int(os.environ["HBNB_MYSQL_PORT"]),
                user=os.environ["HBNB_MYSQL_USER"], password=os.environ["HBNB_MYSQL_PWD"],
                database=os.environ["HBNB_MYSQL_DB"], connect_timeout=5).close()')
}
wait_until "$DB_WAIT" "the database settings from the db machine (${SHARED_DB_ENV#"$PROJECT_DIR"/}) and a login to $LAB_DB_ADDRESS:$LAB_DB_PORT with them (is provision/db.sh done on the db machine?)" \
  db_answers "$SHARED_DB_ENV"
db_env_changed=0
must install -d -m 755 -o root -g root /etc/hbnb
db_env=$(printf '%s\n' "# hbnb-lab (provision/web.sh): the database settings of the Gunicorn services," \
  "# read by systemd as root (EnvironmentFile=). Root only: it holds the password." \
  "HBNB_TYPE_STORAGE=db"; grep '^HBNB_' "$SHARED_DB_ENV")
install_text "$db_env" "$DB_ENV" 600 && db_env_changed=1

# --- the Gunicorn services.
declare -A unit_changed
any_unit=0
for name in "${app_names[@]}"; do
  unit=$(unit_of "$name")
  if [[ $name == "$EXERCISE_APP" ]]; then
    source_file=$PROJECT_DIR/gunicorn.service
  else
    source_file=$LIB_STAGE/$unit
    render "$FILES_DIR/systemd/gunicorn-app.service" APP_NAME="$name" APP_MODULE="${app_module[$name]}" \
      APP_PORT="${app_port[$name]}" APP_WORKERS="${app_workers[$name]}" APP_USER="$APP_USER" \
      APP_DIR="$APP_DIR" VENV_DIR="$VENV_DIR" DB_ENV="$DB_ENV" > "$source_file"
  fi
  unit_changed[$name]=0
  if install_file "$source_file" "/etc/systemd/system/$unit" 644 validate_unit; then
    unit_changed[$name]=1; any_unit=1
  fi
done
((any_unit)) && must systemctl daemon-reload
for name in "${app_names[@]}"; do
  unit=$(unit_of "$name")
  if [[ $(systemctl is-enabled "$unit" 2>/dev/null) != enabled ]]; then
    must systemctl enable --quiet "$unit"; changed "enabled $unit"
  fi
  if ! systemctl is-active --quiet "$unit"; then
    systemctl start "$unit" || die "$unit did not start: systemctl status $unit; journalctl -u $unit"
    changed "started $unit"
  elif ((unit_changed[$name] || venv_changed || db_env_changed)); then
    # New unit, interpreter or environment: a new master process.
    must systemctl restart "$unit"; changed "restarted $unit"
  elif ((code_changed)); then
    # New code only: graceful reload (HUP to the master), no request lost.
    must systemctl reload "$unit"; changed "reloaded $unit"
  fi
done
for name in "${app_names[@]}"; do
  wait_until 60 "$(unit_of "$name") (${app_module[$name]}) answering on 127.0.0.1:${app_port[$name]} (journalctl -u $(unit_of "$name"))" \
    curl -s -o /dev/null "http://127.0.0.1:${app_port[$name]}/"
done
# What the services now run (the next run reloads them when it changes).
must mkdir -p "$(dirname "$services_stamp")"
printf '%s\n' "$code_now" "$venv_now" > "$services_stamp"

# --- Nginx: the http-level drop-in, the sites, the active one.
install_file "$FILES_DIR/nginx/hbnb-lab.conf" /etc/nginx/conf.d/hbnb-lab.conf 644 validate_nginx_dropin \
  && nginx_files+=(/etc/nginx/conf.d/hbnb-lab.conf)
# Every site of the exercise is installed and checked on its own as the only
# site; 5 is the one in use (the tests switch between them).
for site in "${EXERCISE_SITES[@]}"; do
  install_file "$PROJECT_DIR/$site" "/etc/nginx/sites-available/$site" 644 validate_nginx_site \
    && nginx_files+=("/etc/nginx/sites-available/$site")
done
ensure_link "/etc/nginx/sites-available/$FINAL_SITE" "/etc/nginx/sites-enabled/$NGINX_SITE_NAME" \
  && nginx_files+=("/etc/nginx/sites-enabled/$NGINX_SITE_NAME")
# The package's welcome site would claim default_server on port 80 too.
ensure_absent /etc/nginx/sites-enabled/default && nginx_files+=(/etc/nginx/sites-enabled/default)
nginx_apply

# --- the firewall: port 80 only (the Gunicorn ports stay local).
firewall_role web

# --- the lab answers as the exercise says (the tests check it all, in detail).
# Nginx's reload is asynchronous: the old workers may answer for a moment.
answers() {   # URL TEXT: the answer to URL contains TEXT
  [[ $(curl -s --max-time 10 "$1") == *"$2"* ]]
}
wait_until 30 "http://127.0.0.1/airbnb-onepage/ to answer 'Hello HBNB!' (systemctl status $(unit_of hello) nginx)" \
  answers http://127.0.0.1/airbnb-onepage/ "Hello HBNB!"
wait_until 30 "http://127.0.0.1/api/v1/status to answer OK (systemctl status $(unit_of api); journalctl -u $(unit_of api))" \
  answers http://127.0.0.1/api/v1/status '"OK"'
wait_until 30 "http://127.0.0.1/ to answer the page (systemctl status gunicorn; /tmp/airbnb-error.log)" \
  answers http://127.0.0.1/ "</html>"

summary
