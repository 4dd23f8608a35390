# Custom header with Puppet: a line after server_name in the default site, nginx restarted on change
exec { 'apt-update':
  command => '/usr/bin/apt-get update',
}

package { 'nginx':
  ensure  => installed,
  require => Exec['apt-update'],
}

file_line { 'served-by':
  ensure  => present,
  path    => '/etc/nginx/sites-available/default',
  after   => '^\s*server_name _;',
  line    => "\tadd_header X-Served-By ${facts['networking']['hostname']};",
  require => Package['nginx'],
}

service { 'nginx':
  ensure    => running,
  subscribe => File_line['served-by'],
}
