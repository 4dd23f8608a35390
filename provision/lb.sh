#!/usr/bin/env bash
# Provisioner of the role "lb" (lb-01): HAProxy round robin over every web server of lab.yml, with health checks, retries, HTTPS on a self-signed certificate, a password-protected stats page on the private address, and the firewall.
#
# Made here at the first run, root only, never committed: the certificate's key
# (/etc/haproxy/certs/hbnb-lab.pem, 0600) and the stats password
# (/etc/hbnb-lab/haproxy-stats-password, 0600; haproxy.cfg holds only its hash).
# The configuration is checked with `haproxy -c` before it replaces the running
# one, and HAProxy reloads (no connection lost) only when it changed.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init lb
require_env LAB_WEB_HOSTS LAB_HOSTS LAB_NETWORK

STATS_PORT=8404
# What the health check asks each web server: the API's status route once the
# exercise is done (reference mode); Nginx's own page before it (practice mode).
case ${LAB_MODE:-reference} in
  reference) health_check_path=/api/v1/status ;;
  practice) health_check_path=/ ;;
  *) die "LAB_MODE must be reference or practice, not '$LAB_MODE'" ;;
esac
CERT_FILE=/etc/haproxy/certs/hbnb-lab.pem
STATS_PASSWORD_FILE=/etc/hbnb-lab/haproxy-stats-password

# This machine's lab address (the stats page listens there only).
me=$(hostname)
address=
for pair in $LAB_HOSTS; do
  [[ ${pair%%=*} == "$me" ]] && address=${pair#*=}
done
[[ -n $address ]] || die "this machine ($me) is not in LAB_HOSTS ($LAB_HOSTS)"
[[ $(ip -o -4 addr show) == *" inet $address/"* ]] || die "$address (LAB_HOSTS) is not an address of this machine"

ensure_packages haproxy openssl

# --- the self-signed certificate of the HTTPS front end (HAProxy wants the
# certificate and its key in one file).
if [[ ! -s $CERT_FILE ]]; then
  must install -d -m 700 -o root -g root "$(dirname "$CERT_FILE")"
  work=$(mktemp -d "$LIB_STAGE/cert.XXXXXX")
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 -subj "/CN=$me" \
    -addext "subjectAltName=DNS:$me,IP:$address" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null || die "openssl could not make the certificate"
  (umask 077; cat "$work/cert.pem" "$work/key.pem" > "$CERT_FILE.new") && must mv -f "$CERT_FILE.new" "$CERT_FILE"
  changed "self-signed certificate $CERT_FILE"
fi

# --- the stats password, kept in clear for the admin (root only); HAProxy gets
# its SHA-256 crypt hash, so the configuration file reveals nothing.
if [[ ! -s $STATS_PASSWORD_FILE ]]; then
  must mkdir -p "$(dirname "$STATS_PASSWORD_FILE")"
  (umask 077; openssl rand -base64 18 | tr '+/' '-_' > "$STATS_PASSWORD_FILE")
  changed "generated the stats password ($STATS_PASSWORD_FILE)"
fi
# The hash is salted: kept beside the password, made again only when it changes.
hash_file=$STATS_PASSWORD_FILE.hash
password=$(<"$STATS_PASSWORD_FILE")
if [[ ! -s $hash_file || $(cat "$hash_file.of" 2>/dev/null) != "$(sha256sum < "$STATS_PASSWORD_FILE")" ]]; then
  (umask 077; openssl passwd -5 -stdin <<< "$password" > "$hash_file"; sha256sum < "$STATS_PASSWORD_FILE" > "$hash_file.of")
fi
stats_hash=$(<"$hash_file")

# --- haproxy.cfg: one server line per web server of LAB_WEB_HOSTS.
servers=
for pair in $LAB_WEB_HOSTS; do
  [[ $pair == *=* ]] || die "LAB_WEB_HOSTS entry '$pair' is not name=address"
  servers+="    server ${pair%%=*} ${pair#*=}:80 check"$'\n'
done
config=$(render "$FILES_DIR/haproxy/haproxy.cfg" SERVERS="${servers%$'\n'}" CERT_FILE="$CERT_FILE" \
         STATS_HASH="$stats_hash" STATS_ADDRESS="$address" STATS_PORT="$STATS_PORT" \
         HEALTH_CHECK_PATH="$health_check_path")
if install_text "$config" /etc/haproxy/haproxy.cfg 644 validate_haproxy; then
  if systemctl is-active --quiet haproxy; then
    # Debian's and Ubuntu's unit check the file again, then hand the listening
    # sockets to new processes: no connection is refused.
    must systemctl reload haproxy
    changed "reloaded haproxy"
  fi
fi
ensure_enabled_and_running haproxy

# --- the firewall: HTTP and HTTPS for all, stats from the private network.
firewall_role lb LAB_NETWORK="$LAB_NETWORK" STATS_PORT="$STATS_PORT"

# --- the front end answers (the web servers may still be on their way: warn only).
wait_until 30 "HAProxy to answer on http://127.0.0.1/ (systemctl status haproxy; journalctl -u haproxy)" \
  curl -s -o /dev/null --max-time 5 http://127.0.0.1/
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1$health_check_path" || true)
[[ $code == 200 ]] || log "note: no web server answers through HAProxy yet (HTTP $code); they are added as soon as their health check passes"

summary
