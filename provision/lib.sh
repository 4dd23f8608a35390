#!/usr/bin/env bash
# Shared functions of the provisioners: facts, logging, packages, files, handlers.
# Sourced, not run: `. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"; lib_init web`.
# shellcheck disable=SC2034  # variables set here are used by the sourcing scripts

# The provisioner's name (common, db, web, lb) for messages; the change list.
LIB_NAME=provision
LIB_CHANGES=()
# Where each replaced file's previous version is kept (rollback by hand or by
# rollback_file), outside the folders services read whole (conf.d, systemd).
LIB_BACKUP_DIR=/var/backups/hbnb-lab
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FILES_DIR=$LIB_DIR/files          # config templates
PROJECT_DIR=$(cd "$LIB_DIR/.." && pwd)
# Notifications not yet handled survive a failed run: the next run handles them.
LIB_PENDING=/var/lib/hbnb-lab/pending-handlers

# lib_init NAME: root, the staging folder, the facts.
lib_init() {
  LIB_NAME=$1
  export DEBIAN_FRONTEND=noninteractive
  [[ $(id -u) -eq 0 ]] || die "run as root (sudo)"
  LIB_STAGE=$(mktemp -d "/tmp/hbnb-$LIB_NAME.XXXXXX")
  trap 'rm -rf "$LIB_STAGE"' EXIT
  mkdir -p "$LIB_BACKUP_DIR" "$(dirname "$LIB_PENDING")"
  facts_load
  # Reference mode's layout (lab.yml's reference:).
  APP_ROOT=$(fact reference.root)
  APP_DIR=$(fact reference.app_dir)
  VENV_DIR=$(fact reference.venv)
  APP_USER=$(fact reference.user)
  DB_ENV=$(fact reference.db_env)
  VENV_CACHE=$(fact venv_cache)
}

log() { echo "$LIB_NAME: $*"; }
die() { echo "$LIB_NAME: error: $*" >&2; exit 1; }
# Runs a command, stopping the provisioner if it fails (also where errexit is
# off: in functions called by `if` or `||`).
must() { "$@" || die "failed ($?): $*"; }

changed() { LIB_CHANGES+=("$1"); log "changed: $1"; }

# The last line of every provisioner: "web: 0 changes" or the list.
summary() {
  log "took ${SECONDS} s"
  if ((${#LIB_CHANGES[@]})); then
    local list
    list=$(printf '%s; ' "${LIB_CHANGES[@]}")
    log "${#LIB_CHANGES[@]} changes: ${list%; }"
  else
    log "0 changes"
  fi
}

# --- facts -----------------------------------------------------------------------
# The machine's facts file (JSON, written by the Vagrantfile from the lab file,
# path in LAB_FACTS) flattened into FACT: FACT[apps.0.port], FACT[apps.#] (a list's
# length), FACT[machine.roles] (a list of scalars, space-separated).
declare -gA FACT=()

facts_load() {
  [[ -n ${LAB_FACTS:-} ]] \
    || die "LAB_FACTS is not set: the Vagrantfile passes it (re-run by hand: sudo LAB_FACTS=<lab.yml's facts_file> bash $0)"
  [[ -r $LAB_FACTS ]] || die "$LAB_FACTS is missing: run the common provisioner first (vagrant provision --provision-with common)"
  local assignments
  assignments=$(python3 - "$LAB_FACTS" <<'PY'
import json, shlex, sys

def walk(key, value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(f"{key}.{k}" if key else k, v)
    elif isinstance(value, list):
        yield f"{key}.#", len(value)
        if all(not isinstance(v, (dict, list)) for v in value):
            yield key, " ".join(str(v) for v in value)
        for i, v in enumerate(value):
            yield from walk(f"{key}.{i}", v)
    else:
        yield key, "" if value is None else str(value).lower() if isinstance(value, bool) else value

with open(sys.argv[1], encoding="utf-8") as fh:
    for k, v in walk("", json.load(fh)):
        print(f"FACT[{shlex.quote(k)}]={shlex.quote(str(v))}")
PY
) || die "$LAB_FACTS is not a facts file (JSON) the lab wrote"
  eval "$assignments"
}

# fact KEY: one fact; stops, naming the file, when it is not there.
fact() {
  [[ -v FACT[$1] ]] || die "$LAB_FACTS has no '$1' (lab.yml changed? run make up)"
  printf '%s\n' "${FACT[$1]}"
}

has_role() { [[ " $(fact machine.roles) " == *" $1 "* ]]; }

# machines_with ROLE: "NAME ADDRESS" of every machine with ROLE, one a line.
machines_with() {
  local i
  for ((i = 0; i < $(fact machines.#); i++)); do
    [[ " $(fact "machines.$i.roles") " == *" $1 "* ]] && echo "$(fact "machines.$i.name") $(fact "machines.$i.ip")"
  done
  return 0
}

# --- handlers ----------------------------------------------------------------------
# A step that changes what a service runs notifies it (notify UNIT reload|restart);
# handlers_flush acts once per service, the strongest action wins, after
# `systemctl daemon-reload` when a unit file changed. A service this run started
# needs nothing more. Notifications are kept on disk until handled.

notify() {
  local unit=$1 action=$2
  must mkdir -p "$(dirname "$LIB_PENDING")"
  grep -qsxF "$unit $action" "$LIB_PENDING" || echo "$unit $action" >> "$LIB_PENDING"
}

# A unit was (re)started by this run: what was pending for it is done.
handled() {
  [[ -f $LIB_PENDING ]] || return 0
  local rest
  rest=$(grep -v "^$1 " "$LIB_PENDING" || true)
  printf '%s\n' "$rest" | sed '/^$/d' > "$LIB_PENDING.new" && mv -f "$LIB_PENDING.new" "$LIB_PENDING"
}

handlers_flush() {
  [[ -s $LIB_PENDING ]] || return 0
  local unit action
  declare -A wanted=()
  while read -r unit action; do
    [[ -n $unit ]] || continue
    if [[ $action == restart || -z ${wanted[$unit]:-} ]]; then wanted[$unit]=$action; fi
  done < "$LIB_PENDING"
  if [[ -n ${wanted[systemd]:-} ]]; then
    must systemctl daemon-reload
    unset 'wanted[systemd]'
  fi
  for unit in "${!wanted[@]}"; do
    action=${wanted[$unit]}
    # Not installed yet, or stopped: whoever installs or starts it does the rest.
    if systemctl is-active --quiet "$unit"; then
      systemctl "$action" "$unit" || { journalctl -u "$unit" -n 20 --no-pager >&2 || true; die "systemctl $action $unit failed"; }
      changed "${action}ed $unit"
    fi
    handled "$unit"
  done
  rm -f "$LIB_PENDING"
}

# --- packages --------------------------------------------------------------

is_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == *"ok installed" ]]; }

# Installs the packages that are missing (no recommends), refreshing the package
# lists once if apt no longer finds a version they name.
# When the package lists were last refreshed (provision/common.sh refreshes them
# when a day old). An update of apt's own (the daily timer's, a student's) removes
# it with every file it does not know: the next run refreshes them once more.
APT_LISTS_STAMP=/var/lib/apt/lists/.hbnb-lab-updated
lists_refreshed() { touch "$APT_LISTS_STAMP"; }
ensure_packages() {
  local pkg missing=()
  for pkg in "$@"; do is_installed "$pkg" || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  # A configuration file left by a student's script never stops an install at
  # dpkg's question (no terminal): theirs is kept, and the provisioner's own
  # files are written after. An install broken off before (a student's) is
  # finished first, the same way.
  if [[ -n $(dpkg --audit 2>/dev/null) ]]; then
    dpkg --force-confdef --force-confold --configure -a >/dev/null || die "dpkg --configure -a failed"
  fi
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -y -qq)
  if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null; then
    "${apt[@]}" update >/dev/null || die "apt-get update failed"
    lists_refreshed
    "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null \
      || die "could not install ${missing[*]}"
  fi
  changed "packages(${missing[*]})"
}

# --- templates ---------------------------------------------------------------

# render TEMPLATE NAME=VALUE...: prints TEMPLATE with every @NAME@ replaced by
# its VALUE; stops if a placeholder is left without one.
render() {
  local template=$1; shift
  [[ -f $template ]] || die "template $template is missing"
  local text pair
  text=$(<"$template")
  for pair in "$@"; do
    text=${text//@"${pair%%=*}"@/"${pair#*=}"}
  done
  if [[ $text =~ @[A-Z][A-Z0-9_]*@ ]]; then
    die "$template: placeholder ${BASH_REMATCH[0]} has no value"
  fi
  printf '%s\n' "$text"
}

# --- configuration files -------------------------------------------------------

# Copies SOURCE to DEST's staging place (/var/backups/hbnb-lab/staged/DEST, same
# file name: validators' messages name it) and prints that path. A refused
# candidate stays there for inspection.
stage_file() {
  local source=$1 dest=$2 staged=$LIB_BACKUP_DIR/staged$2
  must mkdir -p "$(dirname "$staged")"
  must cp "$source" "$staged"
  printf '%s\n' "$staged"
}

# install_file SOURCE DEST MODE [VALIDATOR...]
# Installs SOURCE as DEST (owner root, MODE) when its content or mode differs.
# The candidate is first staged under DEST's name and checked by the VALIDATOR
# command, called with the staged path as its last argument; a refusal stops the
# provisioner with the validator's message (which names file and line) and
# leaves DEST, and so the running service, as it was. The replaced file is kept
# in /var/backups/hbnb-lab/ (rollback_file). Returns 0 if DEST changed, 1 if not.
install_file() {
  local source=$1 dest=$2 mode=$3; shift 3
  if [[ -f $dest && ! -L $dest ]] && cmp -s "$source" "$dest" \
     && [[ $(stat -c '%a %U %G' "$dest") == "$mode root root" ]]; then
    return 1
  fi
  local staged output
  staged=$(stage_file "$source" "$dest")
  if (($#)); then
    if ! output=$("$@" "$staged" 2>&1); then
      printf '%s\n' "$output" >&2
      local origin=
      [[ $source == "$PROJECT_DIR"/* ]] && origin=" (from ${source#"$PROJECT_DIR"/})"
      die "$dest: the new version$origin was refused by $1 (above: file and line of the candidate $staged); nothing installed, the running service keeps the old one"
    fi
  fi
  # (Called in `if`, where errexit is off: every step checks its own status.)
  must mkdir -p "$(dirname "$dest")"
  must backup_file "$dest"
  must chmod "$mode" "$staged"
  must chown root:root "$staged"
  # Copied next to DEST, then renamed into place: atomic.
  must cp -p "$staged" "$dest.hbnb-new"
  must mv -f "$dest.hbnb-new" "$dest"
  rm -f "$staged"
  changed "$dest"
  return 0
}

# install_text CONTENT DEST MODE [VALIDATOR...]: install_file for a string.
install_text() {
  local content=$1 dest=$2; shift 2
  local source
  source=$(mktemp "$LIB_STAGE/text.XXXXXX")
  printf '%s\n' "$content" > "$source"
  install_file "$source" "$dest" "$@"
}

backup_file() {
  local dest=$1
  [[ -e $dest ]] || return 0
  local backup=$LIB_BACKUP_DIR${dest}.prev
  must mkdir -p "$(dirname "$backup")"
  must cp -pP "$dest" "$backup"
}

# Puts back DEST's previous version (or removes DEST if it had none).
rollback_file() {
  local dest=$1 backup=$LIB_BACKUP_DIR${1}.prev
  if [[ -e $backup || -L $backup ]]; then
    cp -pP "$backup" "$dest.hbnb-new" && mv -f "$dest.hbnb-new" "$dest"
  else
    rm -f "$dest"
  fi
  log "rolled back $dest"
}

# Points the symbolic link LINK at TARGET; returns 0 if it changed.
ensure_link() {
  local target=$1 link=$2
  [[ -L $link && $(readlink "$link") == "$target" ]] && return 1
  must backup_file "$link"
  must ln -sfn "$target" "$link.hbnb-new"
  must mv -fT "$link.hbnb-new" "$link"
  changed "$link -> $target"
}

# Removes FILE if present; returns 0 if it did.
ensure_absent() {
  [[ -e $1 || -L $1 ]] || return 1
  must backup_file "$1"
  must rm -f "$1"
  changed "removed $1"
}

# --- validators (called by install_file with the staged path last) ---------------

# A systemd unit on its own: missing binaries, bad syntax, and also what systemd
# would only warn about and ignore (an unknown key, a value it cannot parse),
# reported as FILE:LINE: ...
validate_unit() {
  local unit=$1 output status=0
  # Without systemd as PID 1 (a plain chroot) there is nothing to ask.
  [[ -d /run/systemd/system ]] || return 0
  output=$(systemd-analyze verify "$unit" 2>&1) || status=$?
  printf '%s\n' "$output"
  [[ $status -eq 0 && $output != *"$unit:"[0-9]* ]]
}

# An nginx site file as the only site of the machine's nginx.conf.
validate_nginx_site() {
  local site=$1 conf
  conf=$(mktemp "$LIB_STAGE/nginx.XXXXXX.conf")
  grep -q 'include /etc/nginx/sites-enabled/\*;' /etc/nginx/nginx.conf \
    || die "/etc/nginx/nginx.conf does not include /etc/nginx/sites-enabled/*; (edited by hand?)"
  sed "s#include /etc/nginx/sites-enabled/\*;#include $site;#" /etc/nginx/nginx.conf > "$conf"
  nginx -t -q -c "$conf"
}

# An nginx http-level drop-in in place of the conf.d files, without the sites
# (they may need what the new drop-in defines). `nginx -t` checks the whole
# configuration once every file is in place (web.sh's nginx_apply).
validate_nginx_dropin() {
  local dropin=$1 conf
  conf=$(mktemp "$LIB_STAGE/nginx.XXXXXX.conf")
  sed -e "s#include /etc/nginx/conf.d/\*.conf;#include $dropin;#" \
      -e "\#include /etc/nginx/sites-enabled/\*;#d" /etc/nginx/nginx.conf > "$conf"
  nginx -t -q -c "$conf"
}

# A main nginx.conf, with the conf.d files in use and without the sites.
validate_nginx_main() {
  local conf
  conf=$(mktemp "$LIB_STAGE/nginx.XXXXXX.conf")
  sed "\#include /etc/nginx/sites-enabled/\*;#d" "$1" > "$conf"
  nginx -t -q -c "$conf"
}

# A logrotate file, read in debug mode (nothing rotated).
validate_logrotate() { logrotate --debug --state /dev/null "$1"; }

validate_haproxy() { haproxy -c -f "$1"; }

validate_nft() { nft -c -f "$1"; }

# --- services -------------------------------------------------------------------

# ensure_enabled_and_running UNIT...: enabled at boot and running (each a change).
# One systemctl call for all: systemd starts them side by side.
ensure_enabled_and_running() {
  local unit disabled=() stopped=()
  for unit in "$@"; do
    [[ $(systemctl is-enabled "$unit" 2>/dev/null) == enabled ]] || disabled+=("$unit")
  done
  if ((${#disabled[@]})); then
    must systemctl enable --quiet "${disabled[@]}"
    for unit in "${disabled[@]}"; do changed "enabled $unit"; done
  fi
  for unit in "$@"; do
    systemctl is-active --quiet "$unit" || stopped+=("$unit")
  done
  ((${#stopped[@]})) || return 0
  if ! systemctl start "${stopped[@]}"; then
    for unit in "${stopped[@]}"; do
      systemctl is-active --quiet "$unit" || { systemctl status --no-pager "$unit" >&2 || true; die "$unit did not start (journalctl -u $unit)"; }
    done
  fi
  for unit in "${stopped[@]}"; do
    changed "started $unit"
    handled "$unit"
  done
}

# wait_until SECONDS WHAT COMMAND...: runs COMMAND every 2 s until it succeeds;
# stops with "timed out waiting for WHAT" after SECONDS.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit)) said=$((SECONDS - 30))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "timed out after ${limit}s waiting for $what"
    fi
    if ((SECONDS - said >= 30)); then log "waiting for $what"; said=$SECONDS; fi
    sleep 2
  done
}

# --- the firewall ------------------------------------------------------------------
# One nftables table (inet hbnb_lab) per machine, made of a base file (loopback,
# established, ICMP, DHCP, SSH; input policy drop) and one rules file per role
# (provision/files/firewall/<role>.nft). Applied atomically by
# hbnb-firewall.service at boot and by firewall_apply at provisioning.
FIREWALL_DIR=/etc/hbnb-lab/firewall.d
FIREWALL_MAIN=/etc/hbnb-lab/firewall.nft

# firewall_role ROLE NAME=VALUE...: renders files/firewall/ROLE.nft, checks the
# whole ruleset with it, installs it and applies the ruleset if anything changed.
firewall_role() {
  local role=$1; shift
  ensure_packages nftables
  local rendered files=()
  must mkdir -p "$FIREWALL_DIR"
  must chmod 700 /etc/hbnb-lab
  install_file "$FILES_DIR/firewall/hbnb-lab.nft" "$FIREWALL_MAIN" 600 && files+=("$FIREWALL_MAIN")
  install_file "$FILES_DIR/firewall/00-base.nft" "$FIREWALL_DIR/00-base.nft" 600 \
    && files+=("$FIREWALL_DIR/00-base.nft")
  rendered=$(render "$FILES_DIR/firewall/$role.nft" "$@") || exit 1
  install_text "$rendered" "$FIREWALL_DIR/50-$role.nft" 600 && files+=("$FIREWALL_DIR/50-$role.nft")
  install_file "$FILES_DIR/systemd/hbnb-firewall.service" /etc/systemd/system/hbnb-firewall.service 644 \
    validate_unit && must systemctl daemon-reload
  if ((${#files[@]})) || ! nft list table inet hbnb_lab >/dev/null 2>&1; then
    local output file
    if ! output=$(nft -c -f "$FIREWALL_MAIN" 2>&1); then
      printf '%s\n' "$output" >&2
      for file in "${files[@]}"; do rollback_file "$file"; done
      die "firewall: the rules of $FIREWALL_MAIN do not load (see above); the previous rules stay"
    fi
    must nft -f "$FIREWALL_MAIN"
    # Never leave a machine without its SSH rule (Vagrant and the student need it).
    if [[ $(nft list chain inet hbnb_lab input) != *"tcp dport 22 accept"* ]]; then
      nft delete table inet hbnb_lab
      die "firewall: the applied rules lack the SSH rule; table removed"
    fi
    changed "firewall rules applied"
  fi
  ensure_enabled_and_running hbnb-firewall.service
}

# --- the application (shared by web.sh, and by db.sh for the seed) ---------------
# What the machines run of the project: the packages and the pins.
APP_PARTS=(models api web_flask web_dynamic requirements.txt)
# The page's jQuery: Debian's and Ubuntu's libjs-jquery, linked into the static files.
JQUERY=/usr/share/javascript/jquery/jquery.min.js
JQUERY_LINK=web_dynamic/static/vendor/jquery.min.js

# The systemd units of lab.yml's apps, one a line.
app_units() {
  local i
  for ((i = 0; i < $(fact apps.#); i++)); do fact "apps.$i.unit"; done
}

# app_fact NAME KEY: KEY (port, workers, unit...) of lab.yml's app NAME.
app_fact() {
  local i
  for ((i = 0; i < $(fact apps.#); i++)); do
    [[ $(fact "apps.$i.name") == "$1" ]] && { fact "apps.$i.$2"; return; }
  done
  die "$(fact lab_file) has no app '$1'"
}

ensure_app_user() {
  id -u "$APP_USER" >/dev/null 2>&1 && return 0
  useradd --system --home-dir "$APP_ROOT" --no-create-home --shell /usr/sbin/nologin "$APP_USER"
  changed "user $APP_USER"
}

# Copies the application from the synced project into APP_DIR (root-owned,
# world-readable: the service user and Nginx read it, nobody but root writes).
# Returns 0 if anything was copied or removed.
deploy_app() {
  ensure_packages rsync libjs-jquery
  install -d -m 755 -o root -g root "$APP_ROOT" "$APP_DIR"
  local part sources=() itemized
  for part in "${APP_PARTS[@]}"; do
    [[ -e $PROJECT_DIR/$part ]] || die "$PROJECT_DIR/$part is missing (is the project synced at $PROJECT_DIR?)"
    sources+=("$PROJECT_DIR/$part")
  done
  # jQuery is the distribution's (libjs-jquery): linked here rather than copied,
  # as a link in a shared folder may not survive every provider's file sharing.
  # Folders' times are left alone (--omit-dir-times): making that link changes
  # its folder's, which the next run would otherwise "repair" and count as a
  # change of the application, reloading every Gunicorn for nothing.
  itemized=$(rsync -rlt --omit-dir-times --delete --itemize-changes \
               --chown=root:root --chmod=D755,F644 \
               --exclude '__pycache__/' --exclude '*.pyc' --exclude "/$JQUERY_LINK" \
               "${sources[@]}" "$APP_DIR/") || die "could not copy the application into $APP_DIR"
  local linked=1
  ensure_link "$JQUERY" "$APP_DIR/$JQUERY_LINK" && linked=0
  [[ -n $itemized ]] || return "$linked"
  changed "application in $APP_DIR ($(wc -l <<<"$itemized") entries)"
  return 0
}

# The pins' fingerprint (and the Python's), kept in the venv after a build.
venv_stamp() { { python3 -VV; cat "$APP_DIR/requirements.txt"; } | sha256sum | cut -d' ' -f1; }

# Built virtual environments are kept in VENV_CACHE (a folder shared with the
# host where the provider allows it), one per system and pins (the venv's paths
# are absolute, the same on every lab machine): the second web server and every
# rebuild unpack one instead of building it again.
# Builds VENV_DIR with the pinned requirements, only when they changed: unpacked
# from VENV_CACHE when an earlier machine or run built it for this system, else
# built from the host's wheelhouse when the project has one (offline), else from
# the index, and then kept in VENV_CACHE. Returns 0 if it (re)built.
# Whether the host's wheelhouse (PROJECT_DIR/.cache/wheels) holds the wheels of
# this machine's Python: host/wheelhouse.sh stamps each version it downloaded for.
have_wheels() {
  local version
  version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [[ -f $PROJECT_DIR/.cache/wheels/.stamp-$version ]]
}

ensure_venv() {
  ensure_packages python3-venv
  local stamp cached lock=
  stamp=$(venv_stamp)
  [[ -x $VENV_DIR/bin/python && $(cat "$VENV_DIR/.hbnb-stamp" 2>/dev/null) == "$stamp" ]] && return 1
  cached=$VENV_CACHE/$({ echo "$stamp"; cat /etc/os-release; } | sha256sum | cut -c1-16).tar
  # One machine at a time per venv: on a first run both web servers would build the
  # same one side by side on the same cores; the second waits and unpacks the first's.
  # (A shared folder without locks, or none, only loses the wait.)
  if mkdir -p "$VENV_CACHE" && exec {lock}>>"$cached.lock"; then
    flock -w 600 "$lock" || true
  fi 2>/dev/null
  build_or_unpack_venv "$stamp" "$cached"
  [[ -z ${lock:-} ]] || exec {lock}>&-
  return 0
}
# build_or_unpack_venv STAMP CACHED_TAR: ensure_venv's work, under its lock: the
# venv unpacked from CACHED_TAR when that holds this STAMP's, else built and kept there.
build_or_unpack_venv() {
  local stamp=$1 cached=$2 wheels=$PROJECT_DIR/.cache/wheels
  rm -rf "$VENV_DIR"
  if [[ -s $cached ]] && tar -C "$APP_ROOT" -xf "$cached" 2>/dev/null \
     && [[ $(cat "$VENV_DIR/.hbnb-stamp" 2>/dev/null) == "$stamp" ]] \
     && "$VENV_DIR/bin/python" -c 'import flask, gunicorn'; then
    touch "$cached" 2>/dev/null || true   # in use: kept by the pruning below
    changed "virtual environment $VENV_DIR (from $cached)"
    return 0
  fi
  log "building $VENV_DIR"
  rm -rf "$VENV_DIR"
  python3 -m venv "$VENV_DIR" || die "python3 -m venv $VENV_DIR failed"
  local pip=("$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir)
  if have_wheels; then
    "${pip[@]}" --no-index --find-links "$wheels" -r "$APP_DIR/requirements.txt" \
      || die "pip could not install requirements.txt from $wheels (host/wheelhouse.sh fills it)"
  else
    "${pip[@]}" -r "$APP_DIR/requirements.txt" || die "pip could not install requirements.txt from the index"
  fi
  must chmod -R go-w "$VENV_DIR"
  echo "$stamp" > "$VENV_DIR/.hbnb-stamp" || die "could not write $VENV_DIR/.hbnb-stamp"
  # Kept for the next machine (written aside, then renamed: a machine reading the
  # cache never sees half a file). A shared folder that refuses it costs nothing.
  if mkdir -p "$VENV_CACHE" 2>/dev/null \
     && tar -C "$APP_ROOT" -cf "$cached.$$" "$(basename "$VENV_DIR")" 2>/dev/null; then
    mv -f "$cached.$$" "$cached" 2>/dev/null || rm -f "$cached.$$"
    # Venvs of old pins or systems: gone when no machine unpacked them for 14 days.
    find "$VENV_CACHE" -maxdepth 1 \( -name '*.tar' -o -name '*.tar.lock' \) -mtime +14 -delete 2>/dev/null || true
  else
    rm -f "$cached.$$"
  fi
  changed "virtual environment $VENV_DIR"
  return 0
}

