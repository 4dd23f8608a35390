# Puppet: replace the default nginx site with a small one sending X-Served-By
exec { 'apt_update':
  command => '/usr/bin/apt-get update',
}

package { 'nginx':
  ensure  => installed,
  require => Exec['apt_update'],
}

file { '/etc/nginx/sites-available/default':
  ensure  => file,
  content => "server {
  listen 80 default_server;
  server_name _;
  location / {
    root /var/www/html;
    index index.html;
    add_header X-Served-By ${facts['networking']['hostname']};
  }
}
",
  require => Package['nginx'],
}

service { 'nginx':
  ensure    => running,
  subscribe => File['/etc/nginx/sites-available/default'],
}
