# Installs Nginx and adds X-Served-By (the server's hostname) to every response, as task 0 does.
package { 'nginx':
  ensure => installed,
}

# At http level: every site says which server answered, error pages too.
file { '/etc/nginx/conf.d/x-served-by.conf':
  ensure  => file,
  content => "# Which web server answered (the load balancer project).\nadd_header X-Served-By \$hostname always;\n",
  require => Package['nginx'],
  notify  => Service['nginx'],
}

# Restarted when the header's file changes (notify): a running Nginx keeps its old configuration.
service { 'nginx':
  ensure  => running,
  require => Package['nginx'],
}
