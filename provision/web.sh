#!/usr/bin/env bash
# Role "web": Gunicorn units for lab.yml's apps, Nginx with the exercise's sites, the firewall.
# Reference mode: the exercise done. Practice mode: the student's server before it
# (provision/practice.sh). Configurations are validated before they replace the
# running ones; a service reloads or restarts only when notified of a change.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init web
mode=$(fact mode)

# --- the apps of lab.yml.
declare -A app_module app_port app_workers app_unit
app_names=()
for ((i = 0; i < $(fact apps.#); i++)); do
  name=$(fact "apps.$i.name")
  app_names+=("$name")
  app_module[$name]=$(fact "apps.$i.module") app_port[$name]=$(fact "apps.$i.port")
  app_workers[$name]=$(fact "apps.$i.workers") app_unit[$name]=$(fact "apps.$i.unit")
  for reserved in $(fact reserved_ports); do
    [[ ${app_port[$name]} != "$reserved" ]] || die "app $name uses port $reserved, which $(fact lab_file) reserves (reserved_ports)"
  done
done
# The exercise the lab answers: its pack's solution (exercises/<id>/solution, in
# the project this script is part of) holds the sites, the unit and the reload
# script, installed as they are.
solution=$PROJECT_DIR/exercises/$(fact exercise.id)/solution
[[ -d $solution ]] || die "$solution is missing: lab.yml's exercise.id names no pack with a solution"
exercise_app=$(fact exercise.app)
exercise_unit=${app_unit[$exercise_app]:-}
[[ -n $exercise_unit ]] || die "the exercise $(fact exercise.id) has no app whose unit is its unit file (exercise.app)"

# The ExecStart of unit FILE on one line (its continuation lines joined).
exec_start_of() {
  sed -n '/^ExecStart=/,/[^\\]$/p' "$1" | tr -d '\\\n' | tr -s ' '
}

# The exercise's unit must run what lab.yml says its app is (one truth).
check_exercise_unit() {
  local file=$solution/$exercise_unit exec_start
  [[ -f $file ]] || die "$file is missing (the exercise's task 6)"
  exec_start=$(exec_start_of "$file")
  [[ " $exec_start " == *" --workers ${app_workers[$exercise_app]} "* \
     && " $exec_start " == *" --bind 0.0.0.0:${app_port[$exercise_app]} "* \
     && " $exec_start " == *" ${app_module[$exercise_app]} " ]] \
    || die "$exercise_unit's ExecStart ($exec_start) does not run ${app_module[$exercise_app]} with ${app_workers[$exercise_app]} workers on 0.0.0.0:${app_port[$exercise_app]} as lab.yml's app '$exercise_app' says"
}
[[ $mode == practice ]] || check_exercise_unit

# --- packages: Nginx, jQuery for the page (web_dynamic/static/vendor links to it).
ensure_packages nginx libjs-jquery curl

# A changed Nginx file: kept for a rollback, Nginx notified.
nginx_files=()
nginx_changed() { nginx_files+=("$1"); notify nginx reload; }
# The whole configuration as Nginx will load it; on refusal the files this run
# changed go back and Nginx keeps running the old ones. Then the handlers.
nginx_apply() {
  local output file
  if ! output=$(nginx -t 2>&1); then
    printf '%s\n' "$output" >&2
    for file in "${nginx_files[@]}"; do rollback_file "$file"; done
    die "nginx -t refused the new configuration (file:line above); previous files restored"
  fi
  ensure_enabled_and_running nginx
  handlers_flush
}

# The http-level drop-in (both modes): server_tokens unless MAIN (the nginx.conf
# in use: the lab's in reference mode, the system's in practice mode) has it, and
# what the lab's own sites need (which X-Forwarded-* to believe: the load
# balancers' addresses).
install_nginx_dropin() {
  local main=$1 load_balancers='' server_tokens='server_tokens off;'
  while read -r _ ip; do load_balancers+="    $ip 1;"$'\n'; done < <(machines_with lb)
  grep -Eq '^[[:space:]]*server_tokens[[:space:]]' "$main" && server_tokens="# (server_tokens: in $(basename "$main"))"
  install_text "$(render "$FILES_DIR/nginx/hbnb-lab.conf" LOAD_BALANCERS="${load_balancers%$'\n'}" \
                  SERVER_TOKENS="$server_tokens")" \
    /etc/nginx/conf.d/hbnb-lab.conf 644 validate_nginx_dropin && nginx_changed /etc/nginx/conf.d/hbnb-lab.conf
  return 0
}

# --- practice mode: the student's server (provision/practice.sh), and no more.
if [[ $mode == practice ]]; then
  # shellcheck source=provision/practice.sh
  . "$LIB_DIR/practice.sh"
  practice_facts
  practice_user
  practice_checkout
  practice_python
  practice_database
  practice_stand_ins
  practice_motd
  install_nginx_dropin /etc/nginx/nginx.conf
  practice_nginx
  nginx_apply
  firewall_role web
  wait_until 30 "Nginx to answer on http://127.0.0.1/ (systemctl status nginx)" \
    curl -s -f -o /dev/null --max-time 10 http://127.0.0.1/
  practice_snapshot
  summary
  exit 0
fi

# --- the application and its virtual environment: app.sh's (it runs first).
[[ -x $VENV_DIR/bin/gunicorn && -d $APP_DIR/web_dynamic ]] \
  || die "$APP_DIR or $VENV_DIR is missing: provision/app.sh runs before this role (make up does)"

# Nginx (www-data) must reach the static files: execute permission on every
# folder above them, read on the files (the jQuery link's target included).
static_root=$APP_DIR/web_dynamic/static
for asset in "$static_root/styles/common.css" "$static_root/vendor/jquery.min.js"; do
  runuser -u www-data -- test -r "$asset" \
    || die "www-data cannot read $asset: every folder above it needs o+x, the file o+r (namei -l $asset)"
done

# --- the database settings of the services, from the facts (the host provisions
# the db machine first, so the login must work now).
password_file=$(fact database.password_file)
[[ -s $password_file ]] || die "$password_file is missing: the host makes it (make up, or vagrant up from the project)"
must install -d -m 755 -o root -g root "$(dirname "$DB_ENV")"
db_env=$(printf '%s\n' "# hbnb-lab (provision/web.sh): the database settings of the Gunicorn services," \
  "# read by systemd as root (EnvironmentFile=). Root only: it holds the password." \
  "HBNB_TYPE_STORAGE=db" "HBNB_MYSQL_HOST=$(fact database.address)" "HBNB_MYSQL_PORT=$(fact database.port)" \
  "HBNB_MYSQL_DB=$(fact database.name)" "HBNB_MYSQL_USER=$(fact database.user)" "HBNB_MYSQL_PWD=$(<"$password_file")")
# shellcheck disable=SC1090,SC2016  # a settings file; Python code in quotes
(set -a; . <(printf '%s\n' "$db_env"); "$VENV_DIR/bin/python" -c '
import os, pymysql
pymysql.connect(host=os.environ["HBNB_MYSQL_HOST"], port=int(os.environ["HBNB_MYSQL_PORT"]),
                user=os.environ["HBNB_MYSQL_USER"], password=os.environ["HBNB_MYSQL_PWD"],
                database=os.environ["HBNB_MYSQL_DB"], connect_timeout=5).close()') \
  || die "no login to the database at $(fact database.address):$(fact database.port) with the host's settings (is the db machine provisioned? make up does it first)"
if install_text "$db_env" "$DB_ENV" 600; then
  for name in "${app_names[@]}"; do notify "${app_unit[$name]}" restart; done
fi

# --- the Gunicorn services: the exercise's own unit as handed in, the others
# rendered from one template.
for name in "${app_names[@]}"; do
  unit=${app_unit[$name]}
  if [[ $name == "$exercise_app" ]]; then
    source_file=$solution/$unit
  else
    source_file=$LIB_STAGE/$unit
    render "$FILES_DIR/systemd/gunicorn-app.service" APP_NAME="$name" APP_MODULE="${app_module[$name]}" \
      APP_PORT="${app_port[$name]}" APP_WORKERS="${app_workers[$name]}" APP_USER="$APP_USER" \
      APP_DIR="$APP_DIR" VENV_DIR="$VENV_DIR" DB_ENV="$DB_ENV" > "$source_file"
  fi
  if install_file "$source_file" "/etc/systemd/system/$unit" 644 validate_unit; then
    notify systemd daemon-reload
    notify "$unit" restart
  fi
done
handlers_flush
units=()
for name in "${app_names[@]}"; do units+=("${app_unit[$name]}"); done
ensure_enabled_and_running "${units[@]}"
for name in "${app_names[@]}"; do
  wait_until 60 "${app_unit[$name]} (${app_module[$name]}) answering on 127.0.0.1:${app_port[$name]} (journalctl -u ${app_unit[$name]})" \
    curl -s -o /dev/null "http://127.0.0.1:${app_port[$name]}/"
done

# --- the exercise's Gunicorn logs (its unit names them), rotated by size.
log_files=$(exec_start_of "$solution/$exercise_unit" \
  | grep -oE -- '--(error|access)-logfile +[^ ]+' | awk '{print $2}' | tr '\n' ' ')
if [[ -n $log_files ]]; then
  ensure_packages logrotate
  install_text "$(render "$FILES_DIR/logrotate/hbnb-gunicorn" LOG_FILES="${log_files% }" ROTATE_SIZE=10M \
      APP_USER="$APP_USER" UNIT="$exercise_unit")" /etc/logrotate.d/hbnb-gunicorn 644 validate_logrotate \
    || true   # unchanged (logrotate reads the file at each run: nothing to notify)
  for unit in hbnb-logrotate.service hbnb-logrotate.timer; do
    install_file "$FILES_DIR/systemd/$unit" "/etc/systemd/system/$unit" 644 validate_unit \
      && notify systemd daemon-reload
  done
  handlers_flush
  ensure_enabled_and_running hbnb-logrotate.timer
fi

# --- Nginx: its main file sized for this machine, the http-level drop-in, the
# sites, the active one.
install_nginx_dropin "$FILES_DIR/nginx/nginx.conf"
install_file "$FILES_DIR/nginx/nginx.conf" /etc/nginx/nginx.conf 644 validate_nginx_main \
  && nginx_changed /etc/nginx/nginx.conf
# Every site of the exercise is installed and checked on its own as the only
# site; the active one is enabled (the tests switch between them).
for site in $(fact exercise.sites); do
  install_file "$solution/$site" "/etc/nginx/sites-available/$site" 644 validate_nginx_site \
    && nginx_changed "/etc/nginx/sites-available/$site"
done
enabled_as=$(fact exercise.enabled_as)
ensure_link "/etc/nginx/sites-available/$(fact exercise.active_site)" "$enabled_as" && nginx_changed "$enabled_as"
# The package's welcome site would claim default_server on port 80 too.
ensure_absent /etc/nginx/sites-enabled/default && nginx_changed /etc/nginx/sites-enabled/default
nginx_apply

# --- the exercise's reload script, where a student keeps it (the pack's place
# for it, under the service user's home): root's, run with sudo.
reload_place=$(fact exercise.reload_place)
must install -d -m 755 "$(dirname "$reload_place")"
install_file "$solution/$(fact exercise.reload_script)" "$reload_place" 755 bash -n || true

# --- the firewall: port 80 only (the Gunicorn ports stay local).
firewall_role web

# --- the site answers through Nginx (every app answered on its port above; the
# exercise's checks, `make check`, look at each route in detail). Nginx's reload
# is asynchronous: the old workers may answer for a moment.
answers() {   # URL TEXT: the answer to URL contains TEXT
  [[ $(curl -s --max-time 10 "$1") == *"$2"* ]]
}
wait_until 30 "http://127.0.0.1/ to answer the page (systemctl status nginx $exercise_unit)" \
  answers http://127.0.0.1/ "</html>"

summary
