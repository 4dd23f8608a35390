#!/usr/bin/env bash
# 0x0F's start state on a web server: the web server project's Nginx (its default site, no X-Served-By), Puppet for task 2, the machine answering as Ubuntu 22.04.
set -euo pipefail
# Another exercise may have taken Nginx away: the practice provisioning puts it back.
if ! command -v nginx >/dev/null 2>&1 || [[ ! -s /var/lib/hbnb-lab/practice-state/trees || ! -d /var/www/html ]]; then
  # A student's Nginx started by hand would stop the package's (its start fails).
  pkill -KILL -x nginx || true
  hbnb-provision web >/dev/null
fi
hbnb-practice-reset >/dev/null
# The load balancer project's header is the exercise's to add: gone from the
# http level (conf.d) and from the default site.
rm -f /etc/nginx/conf.d/x-served-by.conf
sed -i '/add_header[[:space:]]\+X-Served-By/d' /etc/nginx/sites-available/default
nginx -t -q
systemctl reload nginx
if ! command -v puppet >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends puppet puppet-module-puppetlabs-stdlib >/dev/null
fi
"${HBNB_SUPPORT:?the folder of the exercise files on this machine}/ubuntu2204/install.sh"
echo "Nginx without X-Served-By; Puppet $(puppet --version)"
