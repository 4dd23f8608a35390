# Nginx with a X-Served-By header, the whole default site written by Puppet
exec { 'apt-update':
  command => '/usr/bin/apt-get update',
}

package { 'nginx':
  ensure  => installed,
  require => Exec['apt-update'],
}

file { '/etc/nginx/sites-available/default':
  ensure  => file,
  content => @("SITE"),
    server {
        listen 80 default_server;
        server_name _;
        root /var/www/html;
        index index.html index.htm index.nginx-debian.html;
        add_header X-Served-By \$hostname;
    }
    | SITE
  require => Package['nginx'],
  notify  => Service['nginx'],
}

service { 'nginx':
  ensure  => running,
  enable  => true,
}
