"""The lab console (`make console`): one local page for the running lab.

    python -m labtools.console [--lab-file lab.yml] [--ssh-config .vagrant/ssh-config]
                               [--port 0] [--no-browser]

Its parts, a file each:
  serve.py     the command: a socket on 127.0.0.1, the run's token, uvicorn, the browser
  app.py       the Starlette application: routes, templates, the guard, shutdown
  security.py  the guard: the run's token (cookie), Host and Origin checks
  lab.py       the lab shown: its files, machines, mode, provider, the route guard
  ssh.py       commands on a machine through the lab's own ssh-config
  machines.py  each machine's state and services (one SSH command each)
  results.py   the results JSON of `make check` as the page's tasks and checks
  runner.py    "check again": one check run at a time, as a subprocess
  pages.py     the page and its parts (htmx partials)
  actions.py   check again, hints, the solution
  events.py    server-sent events: results changed, a log followed
  terminal.py  a shell on a machine: `ssh -tt` under a pty, over a WebSocket
  site.py      the site through lb-01: which web server answered
  lab_check.py `python -m labtools.exercise` on a lab other than this checkout's
"""
