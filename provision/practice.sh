# Practice mode of the role "web": the student's server (sourced by web.sh).
# shellcheck shell=bash

PRACTICE_STATE=/var/lib/hbnb-lab/practice-state
PRACTICE_FILES=$FILES_DIR/practice

# lab.yml's practice: section, as the facts give it.
practice_facts() {
  PRACTICE_USER=$(fact practice.user)
  PRACTICE_CHECKOUT=$(fact practice.checkout)
  PRACTICE_HOME=$(dirname "$PRACTICE_CHECKOUT")
  PRACTICE_GUNICORN=$(fact practice.gunicorn_version)
}

# The student's home, as the web servers' clone needs it (the account itself, its
# sudo and its key are provision/common.sh's, on every machine of a practice lab).
practice_user() {
  id -u "$PRACTICE_USER" >/dev/null 2>&1 \
    || die "no user $PRACTICE_USER: provision/common.sh makes it (run the common provisioner first)"
  local home_mode
  home_mode=$(fact practice.home_mode)
  if [[ $(stat -c %a "$PRACTICE_HOME") != "${home_mode#0}" ]]; then
    must chmod "$home_mode" "$PRACTICE_HOME"
    changed "$PRACTICE_HOME mode $home_mode"
  fi
}

# The project's listing (paths, sizes, times), to know when to deploy it again.
practice_source_fingerprint() {
  (cd "$PROJECT_DIR" && find "${APP_PARTS[@]}" setup_mysql_dev.sql -path '*/__pycache__' -prune \
     -o ! -type d -printf '%p %s %T@\n' | sort | sha256sum | cut -d' ' -f1)
}

# The clone in the home folder, owned by the student. Copied again only when the
# project changed since the last copy, so the student's own edits stay otherwise.
practice_checkout() {
  local checkout=$PRACTICE_CHECKOUT stamp=/var/lib/hbnb-lab/practice-checkout now
  now=$(practice_source_fingerprint)
  if [[ ! -d $checkout/web_dynamic || $(cat "$stamp" 2>/dev/null) != "$now" ]]; then
    local part sources=()
    for part in "${APP_PARTS[@]}" setup_mysql_dev.sql; do sources+=("$PROJECT_DIR/$part"); done
    must install -d -m 775 -o "$PRACTICE_USER" -g "$PRACTICE_USER" "$checkout"
    rsync -rlt --omit-dir-times --delete --chown="$PRACTICE_USER:$PRACTICE_USER" \
      --chmod=D775,F664 --exclude '__pycache__/' --exclude '*.pyc' --exclude "/$JQUERY_LINK" \
      "${sources[@]}" "$checkout/" || die "could not copy the application into $checkout"
    must mkdir -p /var/lib/hbnb-lab
    echo "$now" > "$stamp"
    changed "the AirBnB clone in $checkout"
  fi
  if [[ $(readlink "$checkout/$JQUERY_LINK" 2>/dev/null) != "$JQUERY" ]]; then
    must ln -sfn "$JQUERY" "$checkout/$JQUERY_LINK"
    must chown -h "$PRACTICE_USER:$PRACTICE_USER" "$checkout/$JQUERY_LINK"
    changed "$checkout/$JQUERY_LINK -> $JQUERY"
  fi
}

# The apps' pins with the curriculum servers' Gunicorn (lab.yml), one a line (in
# place of the apps' own, one per Python version).
practice_pins() {
  grep -Ev '^gunicorn==' "$PROJECT_DIR/requirements.txt"
  echo "gunicorn==$PRACTICE_GUNICORN"
}

# "Installed globally, not in a virtualenv" (the exercise's words): the pins in
# the system's Python (pip as root: /usr/local/bin/gunicorn), apt's gunicorn
# (/usr/bin/gunicorn, importing the same packages) and `pip install --user`'s
# ~/.local/bin/gunicorn. PIP_BREAK_SYSTEM_PACKAGES: Debian 12 and Ubuntu 24.04
# refuse system installs without it (PEP 668); older pips ignore it.
practice_python() {
  ensure_packages python3-pip gunicorn
  local wheels=$PROJECT_DIR/.cache/wheels stamp=/var/lib/hbnb-lab/practice-pins now pins source=()
  pins=$LIB_STAGE/practice-requirements.txt
  practice_pins > "$pins"
  now=$({ python3 -VV; cat "$pins"; } | sha256sum | cut -d' ' -f1)
  if have_wheels; then source=(--no-index --find-links "$wheels"); fi
  local pip=(env PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore python3 -m pip install
             --quiet --disable-pip-version-check --no-cache-dir --no-warn-script-location "${source[@]}")
  local user_gunicorn=$PRACTICE_HOME/.local/bin/gunicorn
  if [[ $(cat "$stamp" 2>/dev/null) != "$now" || ! -x /usr/local/bin/gunicorn || ! -x $user_gunicorn ]]; then
    log "installing the apps' packages globally (Gunicorn $PRACTICE_GUNICORN)"
    # --ignore-installed: pip leaves apt's copies (Debian 13's pip refuses to
    # remove apt's gunicorn 23, which has no RECORD); /usr/local comes first on
    # sys.path, so apt's /usr/bin/gunicorn imports pip's.
    "${pip[@]}" --ignore-installed -r "$pins" \
      || die "pip could not install the apps' packages globally (${source[*]:-the index})"
    runuser -u "$PRACTICE_USER" -- "${pip[@]}" --user --no-deps --ignore-installed \
      "gunicorn==$PRACTICE_GUNICORN" || die "pip install --user gunicorn failed for $PRACTICE_USER"
    must mkdir -p /var/lib/hbnb-lab
    echo "$now" > "$stamp"
    changed "the apps' packages installed globally"
  fi
  local path
  for path in $(fact practice.gunicorn_paths); do
    [[ -x $path ]] || die "$path is missing: lab.yml's practice.gunicorn_paths says a unit may start Gunicorn there"
  done
}

# The database on localhost:3306 everywhere, as the curriculum's servers have it:
# the db machine's own server, or a forwarder to it (systemd-socket-proxyd), so
# every web server shows one set of data behind the load balancer.
practice_database() {
  if has_role db; then
    ensure_absent /etc/systemd/system/hbnb-mysql-forward.socket || true
    return 0
  fi
  local any=0
  # The service first: systemd checks the socket together with the service it starts.
  install_text "$(render "$PRACTICE_FILES/hbnb-mysql-forward.service" DB_ADDRESS="$(fact database.address)" DB_PORT="$(fact database.port)")" \
    /etc/systemd/system/hbnb-mysql-forward.service 644 && any=1
  install_text "$(render "$PRACTICE_FILES/hbnb-mysql-forward.socket" DB_PORT="$(fact database.port)")" \
    /etc/systemd/system/hbnb-mysql-forward.socket 644 validate_unit && any=1
  ((any)) && must systemctl daemon-reload
  ensure_enabled_and_running hbnb-mysql-forward.socket
  ((any)) && { must systemctl restart hbnb-mysql-forward.socket; systemctl stop hbnb-mysql-forward.service 2>/dev/null || true; }
  return 0
}

# The Gunicorns a student starts by hand for tasks 1 to 5 (in tmux, as the
# exercise's tips say), as units the grader starts: never enabled.
practice_stand_ins() {
  local name any=0
  # shellcheck disable=SC2154  # web.sh's parse of lab.yml's apps, which sources this file
  for name in "${app_names[@]}"; do
    install_text "$(render "$PRACTICE_FILES/practice-app.service" APP_NAME="$name" APP_MODULE="${app_module[$name]}" \
        APP_PORT="${app_port[$name]}" USER="$PRACTICE_USER" CHECKOUT="$PRACTICE_CHECKOUT" \
        DB_HOST="$(fact practice.database.host)" DB_USER="$(fact practice.database.user)" \
        DB_PASSWORD="$(fact database.password)" DB_NAME="$(fact database.name)")" "/etc/systemd/system/practice-$name.service" 644 validate_unit && any=1
  done
  ((any)) && must systemctl daemon-reload
  return 0
}

# Nginx as the earlier projects leave it: the default site with X-Served-By,
# /hbnb_static, /redirect_me and a 404 page; X-Served-By also at http level, as
# many students set it in nginx.conf. (nginx_changed: web.sh's.)
practice_nginx() {
  install_file "$PRACTICE_FILES/x-served-by.conf" /etc/nginx/conf.d/x-served-by.conf 644 validate_nginx_dropin \
    && nginx_changed /etc/nginx/conf.d/x-served-by.conf
  install_file "$PRACTICE_FILES/default-site" /etc/nginx/sites-available/default 644 validate_nginx_site \
    && nginx_changed /etc/nginx/sites-available/default
  # The default site is enabled unless the student enabled sites of their own:
  # their work, which a provisioner run must not fight with a second default_server.
  if ! find /etc/nginx/sites-enabled -mindepth 1 ! -name default ! -name "$(basename "$(fact exercise.enabled_as)")" -print -quit | grep -q .; then
    ensure_link /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default \
      && nginx_changed /etc/nginx/sites-enabled/default
  fi
  ensure_absent "$(fact exercise.enabled_as)" && nginx_changed "$(fact exercise.enabled_as)"
  # The earlier projects' pages (the web_static deployment belongs to the student).
  local release=/data/web_static/releases/test
  if [[ ! -e $release/index.html ]]; then
    must install -D -m 644 "$PRACTICE_FILES/web_static.html" "$release/index.html"
    changed "$release/index.html"
  fi
  install_text "Hello World!" /var/www/html/index.html 644 || true
  install_text "Ceci n'est pas une page" /var/www/html/404.html 644 || true
  [[ -e /data/web_static/current ]] || ensure_link "$release" /data/web_static/current || true
  if [[ $(find /data ! -user "$PRACTICE_USER" -print -quit) ]]; then
    must chown -R -h "$PRACTICE_USER:$PRACTICE_USER" /data
    changed "/data owned by $PRACTICE_USER"
  fi
}

# The login message: what the exercise asks, how to check a task.
practice_motd() {
  install_text "$(cat "$PRACTICE_FILES/motd")" /etc/motd 644 || true
}

# What hbnb-practice-reset puts back: /etc/nginx, /etc/systemd/system and the
# student's home, as this run leaves them (tar archives written only when their
# content changed: names, modes, owners, contents; not times).
practice_snapshot() {
  must install -d -m 700 "$PRACTICE_STATE"
  local tree archive candidate
  for tree in /etc/nginx /etc/systemd/system "$PRACTICE_HOME"; do
    archive=$PRACTICE_STATE/$(tr / _ <<< "${tree#/}").tar
    candidate=$LIB_STAGE/snapshot.tar
    tar -C "$(dirname "$tree")" --sort=name --mtime=@0 --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
      --exclude=__pycache__ -cf "$candidate" "$(basename "$tree")" || die "could not archive $tree"
    if ! cmp -s "$candidate" "$archive"; then
      must mv -f "$candidate" "$archive"
      changed "practice state of $tree ($archive)"
    fi
  done
  install_text "$PRACTICE_USER $PRACTICE_HOME /etc/nginx /etc/systemd/system" "$PRACTICE_STATE/trees" 600 || true
  install_file "$PRACTICE_FILES/hbnb-practice-reset" /usr/local/sbin/hbnb-practice-reset 755 bash -n || true
}
