# Puppet version of task 0: install nginx, put X-Served-By in the default site, restart
Exec {
  provider => shell,
}

exec { 'pkg index':
  command => 'apt-get update -y',
}
-> exec { 'nginx package':
  command => 'apt-get install -y nginx',
}
-> exec { 'served-by header':
  command => 'sed -i "s/server_name _;/server_name _;\\n\\tadd_header X-Served-By $HOSTNAME;/" /etc/nginx/sites-available/default',
}
-> exec { 'nginx restart':
  command => 'service nginx restart',
}
