#!/usr/bin/env bash
# Role "lb": HAProxy round robin over the web servers, HTTPS, a stats page, the firewall.
# Made here at the first run, root only, never committed: the certificate's key
# and the stats password (haproxy.cfg holds only its hash).
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init lb

STATS_PORT=$(fact load_balancer.stats_port)
STATS_PASSWORD_FILE=$(fact load_balancer.stats_password_file)
# What the health check asks each web server: the API's status route once the
# exercise is done (reference mode); Nginx's own page before it (practice mode).
health_check_path=/api/v1/status
[[ $(fact mode) == practice ]] && health_check_path=/
CERT_FILE=/etc/haproxy/certs/hbnb-lab.pem
# This machine's lab address (the stats page listens there only).
me=$(fact machine.name) address=$(fact machine.ip)

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

# --- haproxy.cfg: one server line per web server of the lab.
servers=
while read -r name ip; do
  servers+="    server $name $ip:80 check"$'\n'
done < <(machines_with web)
config=$(render "$FILES_DIR/haproxy/haproxy.cfg" SERVERS="${servers%$'\n'}" CERT_FILE="$CERT_FILE" \
         STATS_HASH="$stats_hash" STATS_ADDRESS="$address" STATS_PORT="$STATS_PORT" \
         HEALTH_CHECK_PATH="$health_check_path")
# Debian's and Ubuntu's unit check the file again at reload, then hand the
# listening sockets to new processes: no connection is refused.
install_text "$config" /etc/haproxy/haproxy.cfg 644 validate_haproxy && notify haproxy reload
handlers_flush
ensure_enabled_and_running haproxy

# --- the firewall: HTTP and HTTPS for all, stats from the private network.
firewall_role lb LAB_NETWORK="$(fact network.cidr)" STATS_PORT="$STATS_PORT"

# --- HAProxy answers (the web servers may still be on their way: make up checks
# the whole front end once they are done).
wait_until 30 "HAProxy to answer on http://127.0.0.1/ (systemctl status haproxy; journalctl -u haproxy)" \
  curl -s -o /dev/null --max-time 5 http://127.0.0.1/

summary
