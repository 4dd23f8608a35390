# X-Served-By header through a chain of ordered exec resources
exec { 'apt update':
  provider => shell,
  command  => 'apt-get -y update',
}
-> exec { 'install nginx':
  provider => shell,
  command  => 'apt-get -y install nginx',
  unless   => 'dpkg -s nginx > /dev/null 2>&1',
}
-> exec { 'insert header':
  provider    => shell,
  environment => ["SERVED_BY=${facts['networking']['hostname']}"],
  command     => 'sed -i "/include \/etc\/nginx\/sites-enabled\/\*;/a add_header X-Served-By \"$SERVED_BY\";" /etc/nginx/nginx.conf',
  unless      => 'grep -q X-Served-By /etc/nginx/nginx.conf',
}
-> exec { 'restart nginx':
  provider => shell,
  command  => 'service nginx restart',
}
