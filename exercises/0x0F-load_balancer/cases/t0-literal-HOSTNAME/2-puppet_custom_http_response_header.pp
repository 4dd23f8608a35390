# Installs nginx and adds the X-Served-By response header (value: the server's hostname)
exec { 'refresh apt lists':
  command => '/usr/bin/apt-get update',
}

package { 'nginx':
  ensure  => installed,
  require => Exec['refresh apt lists'],
}

exec { 'add X-Served-By header':
  provider => shell,
  command  => "sed -i 's/^\\(\\s*\\)server_name _;/&\\n\\1add_header X-Served-By ${facts['networking']['hostname']};/' /etc/nginx/sites-available/default",
  unless   => 'grep -q X-Served-By /etc/nginx/sites-available/default',
  require  => Package['nginx'],
  notify   => Service['nginx'],
}

service { 'nginx':
  ensure  => running,
  require => Package['nginx'],
}
