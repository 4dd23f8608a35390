# Sets the X-Served-By header on nginx; the value is the node's hostname fact
$served_by = $facts['networking']['hostname']

exec { 'apt cache':
  command => 'apt-get update',
  path    => '/usr/bin:/bin',
}

package { 'nginx':
  ensure  => present,
  require => Exec['apt cache'],
}

file_line { 'nginx custom header':
  path    => '/etc/nginx/sites-available/default',
  after   => 'server_name _;',
  line    => "        add_header X-Served-By ${served_by};",
  require => Package['nginx'],
}

service { 'nginx':
  ensure => running,
  enable => true,
}
