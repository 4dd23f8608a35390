"""labtools.grading.mapping: a student's server-specific details become the
practice server's; mistakes stay as handed in. The lines are written in the way
real submissions write them (user names, addresses and values are made up)."""
from pathlib import Path

import pytest
import yaml

from labtools.grading.mapping import Mapped, PracticeServer, map_file

ROOT = Path(__file__).resolve().parents[3]
SERVER = PracticeServer(
    user="ubuntu", checkout="/home/ubuntu/AirBnB_clone_v4",
    gunicorn_paths=("/usr/bin/gunicorn", "/usr/local/bin/gunicorn", "/home/ubuntu/.local/bin/gunicorn"),
    db_host="localhost", db_user="hbnb_dev", db_password="hbnb_dev_pwd", db_name="hbnb_dev_db")
UNIT, SITE, SITE5, SCRIPT = ("gunicorn.service", "2-app_server-nginx_config",
                             "5-app_server-nginx_config", "4-reload_gunicorn_no_downtime")

MAPPED = [
    # (file, line as handed in, line mapped, the note after "file:1: ")
    (UNIT, "User=alx", "User=ubuntu", "User=alx -> ubuntu"),
    (UNIT, "Group=holberton", "Group=ubuntu", "Group=holberton -> ubuntu"),
    (UNIT, "User = vagrant", "User = ubuntu", "User = vagrant -> ubuntu"),
    (UNIT, "WorkingDirectory=/home/kofi/AirBnB_clone_v4",
     "WorkingDirectory=/home/ubuntu/AirBnB_clone_v4", "/home/kofi/AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4"),
    (UNIT, "WorkingDirectory=/home/ubuntu/AirBnB_clone_v3/",
     "WorkingDirectory=/home/ubuntu/AirBnB_clone_v4/",
     "/home/ubuntu/AirBnB_clone_v3 -> /home/ubuntu/AirBnB_clone_v4"),
    (UNIT, "WorkingDirectory=/root/AirBnB_clone_v4", "WorkingDirectory=/home/ubuntu/AirBnB_clone_v4",
     "/root/AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4"),
    (UNIT, "WorkingDirectory=/home/amina/alx-AirBnB_clone_v4",
     "WorkingDirectory=/home/ubuntu/AirBnB_clone_v4",
     "/home/amina/alx-AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4"),
    (UNIT,
     "ExecStart=/home/kofi/AirBnB_clone_v4/venv/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "ExecStart=/usr/local/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "ExecStart=/home/kofi/AirBnB_clone_v4/venv/bin/gunicorn -> /usr/local/bin/gunicorn"),
    (UNIT, "ExecStart=/home/ubuntu/.pyenv/shims/gunicorn -w 3 -b 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "ExecStart=/usr/local/bin/gunicorn -w 3 -b 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "ExecStart=/home/ubuntu/.pyenv/shims/gunicorn -> /usr/local/bin/gunicorn"),
    (UNIT, "ExecStart=-/opt/airbnb/env/bin/gunicorn --workers=3 web_dynamic.2-hbnb:app",
     "ExecStart=-/usr/local/bin/gunicorn --workers=3 web_dynamic.2-hbnb:app",
     "ExecStart=-/opt/airbnb/env/bin/gunicorn -> /usr/local/bin/gunicorn"),
    # pip --user under another user's home: the home is mapped, it stays pip --user.
    (UNIT, "ExecStart=/home/kofi/.local/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "ExecStart=/home/ubuntu/.local/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app",
     "/home/kofi -> /home/ubuntu"),
    (UNIT, "Environment=HBNB_MYSQL_USER=kofi_dev", "Environment=HBNB_MYSQL_USER=hbnb_dev",
     "HBNB_MYSQL_USER=kofi_dev -> hbnb_dev"),
    (UNIT, "Environment=HBNB_MYSQL_DB=airbnb_db HBNB_TYPE_STORAGE=db",
     "Environment=HBNB_MYSQL_DB=hbnb_dev_db HBNB_TYPE_STORAGE=db", "HBNB_MYSQL_DB=airbnb_db -> hbnb_dev_db"),
    (UNIT, "Environment=HBNB_MYSQL_HOST=34.201.11.7", "Environment=HBNB_MYSQL_HOST=localhost",
     "HBNB_MYSQL_HOST=34.201.11.7 -> localhost"),
    (UNIT, "Environment='HBNB_MYSQL_HOST=db.kofi.tech'", "Environment='HBNB_MYSQL_HOST=localhost'",
     "HBNB_MYSQL_HOST=db.kofi.tech -> localhost"),
    (UNIT, 'Environment=HBNB_MYSQL_PWD="S3cret!"', 'Environment=HBNB_MYSQL_PWD="hbnb_dev_pwd"',
     "HBNB_MYSQL_PWD=*** -> the practice server's password"),
    (SITE, "    add_header X-Served-By 123456-web-01;", "    add_header X-Served-By $hostname;",
     "add_header X-Served-By 123456-web-01 -> $hostname"),
    (SITE, '\tadd_header X-Served-By "123456-web-02" always;', "\tadd_header X-Served-By $hostname always;",
     'add_header X-Served-By "123456-web-02" -> $hostname'),
    (SITE5, "add_header x-served-by 4821-web-01 always;", "add_header x-served-by $hostname always;",
     "add_header x-served-by 4821-web-01 -> $hostname"),
    (SITE5, "        alias /home/kofi/AirBnB_clone_v4/web_dynamic/static/;",
     "        alias /home/ubuntu/AirBnB_clone_v4/web_dynamic/static/;",
     "/home/kofi/AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4"),
    (SITE5, "        alias /home/ubuntu/AirBnB_clone_v3/web_dynamic/static/;",
     "        alias /home/ubuntu/AirBnB_clone_v4/web_dynamic/static/;",
     "/home/ubuntu/AirBnB_clone_v3 -> /home/ubuntu/AirBnB_clone_v4"),
    (SITE5, "        proxy_pass http://54.161.220.10:5003/2-hbnb;", "        proxy_pass http://127.0.0.1:5003/2-hbnb;",
     "proxy_pass http://54.161.220.10 -> 127.0.0.1"),
    (SITE, "location /airbnb-onepage/ { proxy_pass http://3.85.41.140:5000; }",
     "location /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000; }",
     "proxy_pass http://3.85.41.140 -> 127.0.0.1"),
    (SCRIPT, "cd /home/kofi/AirBnB_clone_v3 || exit 1", "cd /home/ubuntu/AirBnB_clone_v3 || exit 1",
     "/home/kofi -> /home/ubuntu"),
    (SITE5, "        alias /home/ubuntu/projects/AirBnB_clone_v4/web_dynamic/static/;",
     "        alias /home/ubuntu/AirBnB_clone_v4/web_dynamic/static/;",
     "/home/ubuntu/projects/AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4"),
    # The settings handed to Gunicorn through env(1) on the ExecStart line.
    (UNIT, "ExecStart=/usr/bin/env HBNB_MYSQL_USER=kofi_dev gunicorn -w 3 web_dynamic.2-hbnb:app",
     "ExecStart=/usr/bin/env HBNB_MYSQL_USER=hbnb_dev gunicorn -w 3 web_dynamic.2-hbnb:app",
     "HBNB_MYSQL_USER=kofi_dev -> hbnb_dev"),
]

NOT_MAPPED = [
    # Already the practice server's, or every server's.
    (UNIT, "User=ubuntu"), (UNIT, "User=root"), (UNIT, "Group=www-data"), (UNIT, "User=nobody"),
    (UNIT, "WorkingDirectory=/home/ubuntu/AirBnB_clone_v4"),
    (UNIT, "ExecStart=/usr/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/home/ubuntu/.local/bin/gunicorn --workers 3 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/usr/bin/env gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/usr/bin/python3 -m gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "Environment=HBNB_MYSQL_HOST=localhost HBNB_TYPE_STORAGE=db"),
    (UNIT, 'Environment="HBNB_MYSQL_HOST=127.0.0.1" "HBNB_ENV=dev"'),
    (UNIT, "StandardOutput=append:/tmp/airbnb-access.log"),
    (SITE, "    add_header X-Served-By $hostname;"),
    (SITE, '    add_header X-Served-By "$hostname" always;'),
    (SITE5, "proxy_pass http://127.0.0.1:5003/2-hbnb;"),
    (SITE5, "proxy_pass http://localhost:5003;"),
    (SITE5, "proxy_pass http://0.0.0.0:5003;"),
    (SITE5, "proxy_pass http://10.0.2.15:5002;"),
    (SITE5, "proxy_pass http://172.31.88.4:5001/number_odd_or_even/$1;"),
    (SITE5, "proxy_pass http://192.168.1.20:5000;"),
    (SITE5, "proxy_pass http://54.161.220.10:8080;"),        # not one of the exercise's apps
    (SITE5, "root /var/www/html;"),
    # Mistakes on any server: they must fail, not be repaired.
    (UNIT, "User=your_username"), (UNIT, "User=<user>"), (UNIT, "User=username"),
    (UNIT, "WorkingDirectory=/home/username/AirBnB_clone_v4"),
    (UNIT, "WorkingDirectory=/home/your_user/AirBnB_clone_v3"),
    (UNIT, "WorkingDirectory=~/AirBnB_clone_v4"),
    (UNIT, "ExecStart=venv/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=Gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/usr/local/bin/Gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/path/to/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/path/to/venv/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "ExecStart=/usr/local/bin/gunicorn --workers 3 --bind 0.0.0.0:5003 web_dynamic/2-hbnb:app"),
    (UNIT, "ExecStart=/usr/local/bin/gunicorn --workers 3 --bind unix:/0.0.0.0:5003 web_dynamic.2-hbnb:app"),
    (UNIT, "EnvironmentFile=/home/ubuntu/.hbnb_env"),
    (SITE5, "        alias ~/AirBnB_clone_v4/web_dynamic/static/;"),
    (SITE5, "        alias AirBnB_clone_v4/web_dynamic/static/;"),
    (SITE, "    add_header X-Served-By $HOSTNAME;"),
    (SITE5, "location /api/v1/ { proxy_pass http://127.0.0.1:5002/api; }"),
    # Comments stay as written.
    (UNIT, "# User=kofi, WorkingDirectory=/home/kofi/AirBnB_clone_v3"),
    (UNIT, "; Environment=HBNB_MYSQL_PWD=S3cret!"),
    (SITE5, "    # alias /home/kofi/AirBnB_clone_v3/web_dynamic/static/;"),
    (SITE5, "    proxy_pass http://127.0.0.1:5003; # was http://54.161.220.10:5003 and /home/kofi"),
    (SCRIPT, "# copied from /home/kofi/notes.txt"),
    # The reload script: only home folders.
    (SCRIPT, "#!/bin/bash"),
    (SCRIPT, "pkill -HUP gunicorn"),
    (SCRIPT, "cd /root/AirBnB_clone_v3 || exit"),
    (SCRIPT, 'echo "${#pids[@]} workers in /home/ubuntu/AirBnB_clone_v4"'),
]

# Whole files as a student hands them in, for idempotence and "the rest stays".
STUDENT_UNIT = """\
# Starts the AirBnB clone page (web_dynamic.2-hbnb) under Gunicorn on boot
[Unit]
Description=Gunicorn instance serving AirBnB clone
After=network.target

[Service]
User=kofi
Group=www-data
WorkingDirectory=/home/kofi/AirBnB_clone_v4
Environment="HBNB_MYSQL_USER=kofi_dev" "HBNB_MYSQL_PWD=kofi_dev_pwd" "HBNB_MYSQL_HOST=localhost"
Environment=HBNB_MYSQL_DB=kofi_dev_db HBNB_TYPE_STORAGE=db
# three workers, logs in /tmp
ExecStart=/home/kofi/AirBnB_clone_v4/venv/bin/gunicorn \\
    --workers 3 \\
    --bind 0.0.0.0:5003 \\
    --error-logfile /tmp/airbnb-error.log \\
    --access-logfile /tmp/airbnb-access.log \\
    web_dynamic.2-hbnb:app
Restart=always

[Install]
WantedBy=multi-user.target
"""
MAPPED_UNIT = (STUDENT_UNIT.replace("User=kofi", "User=ubuntu")
               .replace("/home/kofi/AirBnB_clone_v4/venv/bin/gunicorn", "/usr/local/bin/gunicorn")
               .replace("/home/kofi", "/home/ubuntu").replace("kofi_dev_pwd", "hbnb_dev_pwd")
               .replace("kofi_dev_db", "hbnb_dev_db").replace("kofi_dev", "hbnb_dev"))
STUDENT_SITE = """\
# Nginx site of 4821-web-01: the AirBnB clone behind Gunicorn
server {
\tlisten 80 default_server;
\tlisten [::]:80 default_server;
\tadd_header X-Served-By 4821-web-01;
\troot /var/www/html;
\tindex index.html index.htm index.nginx-debian.html;
\tserver_name _;

\tlocation /hbnb_static { alias /data/web_static/current/; }
\tlocation /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000/airbnb-onepage/; }
\tlocation ~ /airbnb-dynamic/number_odd_or_even/(\\d+)$ {
\t\tproxy_pass http://127.0.0.1:5001/number_odd_or_even/$1;
\t}
\tlocation /api/ { proxy_pass http://54.161.220.10:5002/api/; }
\tlocation /static/ { alias /home/kofi/AirBnB_clone_v3/web_dynamic/static/; }
\tlocation / { proxy_pass http://127.0.0.1:5003/2-hbnb/; }
\terror_page 404 /custom_404.html;
\tlocation /redirect_me { return 301 https://www.youtube.com/watch?v=QH2-TGUlwu4#t=10; }
}
"""
STUDENT_SCRIPT = """\
#!/usr/bin/env bash
# Gracefully reloads Gunicorn
cd /home/kofi/AirBnB_clone_v4 || exit 1
kill -HUP "$(cat /home/kofi/gunicorn.pid)"
"""


def mapped(name: str, text: str) -> Mapped:
    return map_file(name, text, SERVER)


def test_the_practice_server_comes_from_lab_yml():
    lab = yaml.safe_load((ROOT / "lab.yml").read_text())
    server = PracticeServer.from_lab(lab)
    assert server.user == lab["practice"]["user"]
    assert server.checkout == lab["practice"]["checkout"]
    assert server.gunicorn_paths == tuple(lab["practice"]["gunicorn_paths"])
    assert (server.db_host, server.db_user, server.db_password) == tuple(
        lab["practice"]["database"][key] for key in ("host", "user", "password"))
    assert server.db_name == lab["database"]["name"]
    assert server.home == f"/home/{server.user}"


@pytest.mark.parametrize("name, before, after, note", MAPPED)
def test_a_server_specific_detail_is_mapped(name, before, after, note):
    result = mapped(name, before + "\n")
    assert result.text == after + "\n"
    assert result.notes == [f"{name}:1: {note}"]


@pytest.mark.parametrize("name, before, after, note", MAPPED)
def test_mapping_a_mapped_line_changes_nothing(name, before, after, note):
    assert mapped(name, after) == Mapped(after, [])


@pytest.mark.parametrize("name, line", NOT_MAPPED)
def test_what_is_not_server_specific_stays(name, line):
    assert mapped(name, line + "\n") == Mapped(line + "\n", [])


def test_several_database_settings_on_one_line():
    line = 'Environment="HBNB_MYSQL_USER=me" "HBNB_MYSQL_PWD=my pwd 1" "HBNB_MYSQL_DB=hbnb_dev_db" "HBNB_ENV=dev"\n'
    result = mapped(UNIT, line)
    assert result.text == ('Environment="HBNB_MYSQL_USER=hbnb_dev" "HBNB_MYSQL_PWD=hbnb_dev_pwd" '
                           '"HBNB_MYSQL_DB=hbnb_dev_db" "HBNB_ENV=dev"\n')
    assert result.notes == ["gunicorn.service:1: HBNB_MYSQL_USER=me -> hbnb_dev",
                            "gunicorn.service:1: HBNB_MYSQL_PWD=*** -> the practice server's password"]


def test_no_password_goes_into_the_notes():
    result = mapped(UNIT, "Environment=HBNB_MYSQL_PWD=kofi_S3cret\n")
    assert "kofi_S3cret" not in "".join(result.notes)
    assert "hbnb_dev_pwd" not in "".join(result.notes)


def test_a_whole_unit_keeps_everything_but_the_mapped_details():
    result = mapped(UNIT, STUDENT_UNIT)
    assert result.text == MAPPED_UNIT
    assert result.notes == [
        "gunicorn.service:7: User=kofi -> ubuntu",
        "gunicorn.service:9: /home/kofi/AirBnB_clone_v4 -> /home/ubuntu/AirBnB_clone_v4",
        "gunicorn.service:10: HBNB_MYSQL_USER=kofi_dev -> hbnb_dev",
        "gunicorn.service:10: HBNB_MYSQL_PWD=*** -> the practice server's password",
        "gunicorn.service:11: HBNB_MYSQL_DB=kofi_dev_db -> hbnb_dev_db",
        "gunicorn.service:13: ExecStart=/home/kofi/AirBnB_clone_v4/venv/bin/gunicorn -> /usr/local/bin/gunicorn",
    ]


def test_a_whole_site_keeps_everything_but_the_mapped_details():
    result = mapped(SITE5, STUDENT_SITE)
    assert result.text == (STUDENT_SITE.replace("X-Served-By 4821-web-01", "X-Served-By $hostname")
                           .replace("54.161.220.10", "127.0.0.1")
                           .replace("/home/kofi/AirBnB_clone_v3", "/home/ubuntu/AirBnB_clone_v4"))
    assert [note.split(": ", 1)[0] for note in result.notes] == [
        f"{SITE5}:5", f"{SITE5}:15", f"{SITE5}:16"]


def test_the_reload_script_maps_home_folders_only():
    result = mapped(SCRIPT, STUDENT_SCRIPT)
    assert result.text == STUDENT_SCRIPT.replace("/home/kofi", "/home/ubuntu")
    assert len(result.notes) == 2


@pytest.mark.parametrize("name, text", [(UNIT, STUDENT_UNIT), (SITE5, STUDENT_SITE), (SCRIPT, STUDENT_SCRIPT)])
def test_mapping_is_idempotent(name, text):
    once = mapped(name, text)
    assert once.notes, "the example has something to map"
    assert mapped(name, once.text) == Mapped(once.text, [])


def test_crlf_line_ends_are_kept():
    result = mapped(UNIT, "[Service]\r\nUser=kofi\r\nWorkingDirectory=/home/kofi/AirBnB_clone_v4\r\n")
    assert result.text == "[Service]\r\nUser=ubuntu\r\nWorkingDirectory=/home/ubuntu/AirBnB_clone_v4\r\n"
    assert len(result.notes) == 2


def test_a_file_that_is_not_handed_in_is_refused():
    with pytest.raises(KeyError):
        mapped("README.md", "User=kofi\n")


BALANCED = PracticeServer(
    user="ubuntu", checkout="/home/ubuntu/AirBnB_clone_v4", gunicorn_paths=(), db_host="localhost",
    db_user="u", db_password="p", db_name="d", web_addresses=("192.168.56.11", "192.168.56.12"))
SED_APPEND = """sed -i '/errorfile 504/a \\\\
backend lb_back\\\\
\\tbalance roundrobin\\\\
\\tserver 702211-web-01 34.201.118.52:80 check\\\\
\\tserver 702211-web-02 54.89.160.3:80 check' /etc/haproxy/haproxy.cfg
"""


def test_back_ends_a_script_writes_with_tab_escapes_are_the_labs():
    done = map_file("1-install_load_balancer", SED_APPEND, BALANCED, "script")
    assert "\\tserver 702211-web-01 192.168.56.11:80 check" in done.text
    assert "\\tserver 702211-web-02 192.168.56.12:80 check" in done.text
    assert len(done.notes) == 2


def test_a_public_address_no_lab_machine_stands_for_goes_nowhere():
    text = ("server a 34.1.2.1:80 check\nserver b 34.1.2.2:80 check\nserver c 34.1.2.3:80 check\n"
            "http-request set-header X-Probe 52.0.0.9\n  # 8.8.8.8 in a comment\n")
    done = map_file("haproxy.cfg", text, BALANCED, "haproxy")
    lines = done.text.splitlines()
    assert lines[:3] == ["server a 192.168.56.11:80 check", "server b 192.168.56.12:80 check", "server c 127.0.0.2:80 check"]
    assert lines[3].endswith(" 127.0.0.2") and "8.8.8.8" in lines[4]    # comments stay as written
    assert sum("nothing is sent outside the lab" in note for note in done.notes) == 2
