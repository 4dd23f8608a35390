# Adds X-Served-By (hostname of the node) to every nginx response, using stdlib's file_line
exec { 'update package index':
  command => 'apt-get update',
  path    => ['/usr/bin', '/bin'],
}
-> package { 'nginx':
  ensure => installed,
}
-> file_line { 'x-served-by header':
  path  => '/etc/nginx/nginx.conf',
  after => '^http \{',
  line  => "\tadd_header X-Served-By ${facts['networking']['hostname']};",
}
~> exec { 'reload nginx':
  command     => 'service nginx restart',
  path        => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'],
  refreshonly => true,
}
