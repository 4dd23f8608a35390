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
# What the API back end's health check asks each web server: the API's status
# route once the exercise is done (reference mode); / before it (practice mode,
# where the student adds the API later).
api_check_path=/api/v1/status
[[ $(fact mode) == practice ]] && api_check_path=/
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

# --- the errors HAProxy answers itself: JSON for the API, HTML for the pages,
# each a complete HTTP response (HAProxy's errorfile format). The codes every
# HAProxy from 2.2 (Debian 11) takes: 2.2 refuses an errorfile for 501.
errors_dir=/etc/haproxy/errors/hbnb-lab
declare -A reasons=([400]="Bad Request" [403]=Forbidden [405]="Method Not Allowed"
  [408]="Request Timeout" [425]="Too Early" [429]="Too Many Requests" [500]="Internal Server Error"
  [502]="Bad Gateway" [503]="Service Unavailable" [504]="Gateway Timeout")
json_errorfiles='' html_errorfiles=''
must install -d -m 755 "$errors_dir/json" "$errors_dir/html"
for code in $(printf '%s\n' "${!reasons[@]}" | sort -n); do
  reason=${reasons[$code]}
  # Come back in a few seconds: a full queue or no server up (503), too many writes (429).
  retry_after=
  [[ $code == 503 || $code == 429 ]] && retry_after=$'Retry-After: 5\r\n'
  for type in json html; do
    if [[ $type == json ]]; then
      content_type=application/json body="{\"error\": \"$reason\"}"
    else
      content_type="text/html; charset=utf-8"
      body="<html><body><h1>$code $reason</h1></body></html>"
    fi
    response=$(printf 'HTTP/1.1 %s %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nCache-Control: no-cache\r\nConnection: close\r\n%s\r\n%s' \
      "$code" "$reason" "$content_type" "$((${#body} + 1))" "$retry_after" "$body")
    install_text "$response" "$errors_dir/$type/$code.http" 644 && notify haproxy reload
  done
  json_errorfiles+="    errorfile $code $errors_dir/json/$code.http"$'\n'
  html_errorfiles+="    errorfile $code $errors_dir/html/$code.http"$'\n'
done

# --- haproxy.cfg: every web server in each back end, sized from lab.yml.
page_servers='' api_servers='' write_servers=''
while read -r name ip; do
  page_servers+="    server $name $ip:80 check"$'\n'
  api_servers+="    server $name $ip:80 check"$'\n'
  write_servers+="    server $name $ip:80 track hbnb_api/$name"$'\n'
done < <(machines_with web)
memory_mb=$(fact machine.memory)
config=$(render "$FILES_DIR/haproxy/haproxy.cfg" CERT_FILE="$CERT_FILE" \
         PAGE_SERVERS="${page_servers%$'\n'}" API_SERVERS="${api_servers%$'\n'}" \
         WRITE_SERVERS="${write_servers%$'\n'}" \
         JSON_ERRORFILES="${json_errorfiles%$'\n'}" HTML_ERRORFILES="${html_errorfiles%$'\n'}" \
         LB_MEMORY_MB="$memory_mb" GLOBAL_MAXCONN="$((memory_mb * 1024 / 3 / 34))" \
         PAGE_SERVER_MAXCONN="$((2 * $(app_fact "$(fact exercise.app)" workers)))" \
         API_SERVER_MAXCONN="$((2 * $(app_fact api workers)))" \
         WRITE_LIMIT="$(fact load_balancer.writes_per_10s)" \
         STATS_HASH="$stats_hash" STATS_ADDRESS="$address" STATS_PORT="$STATS_PORT" \
         STATS_PASSWORD_FILE="$STATS_PASSWORD_FILE" \
         PAGE_CHECK_PATH=/ API_CHECK_PATH="$api_check_path")
# Debian's and Ubuntu's unit check the file again at reload, then hand the
# listening sockets to new processes: no connection is refused.
install_text "$config" /etc/haproxy/haproxy.cfg 644 validate_haproxy && notify haproxy reload
handlers_flush
ensure_enabled_and_running haproxy

# --- the firewall: HTTP and HTTPS for all, the stats page (HTTPS) from the private network.
firewall_role lb LAB_NETWORK="$(fact network.cidr)" STATS_PORT="$STATS_PORT"

# --- HAProxy answers (the web servers may still be on their way: make up checks
# the whole front end once they are done).
wait_until 30 "HAProxy to answer on http://127.0.0.1/ (systemctl status haproxy; journalctl -u haproxy)" \
  curl -s -o /dev/null --max-time 5 http://127.0.0.1/

summary
