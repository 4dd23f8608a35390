"""The exercise's tasks 2 to 7 judged on one practice web server, file by file.

As the curriculum's checker sees a student's server, each handed-in file on its
own: every site is tried as the only site, with Gunicorns on 5000-5003 as a
student starts them by hand (the practice stand-ins), so a broken unit does not
fail a good site; gunicorn.service is installed, enabled and started as the
exercise says, the reload script is run against it (or, when the unit cannot
run at all, against a working one), then the machine reboots and the unit must
come back. Each task gets a verdict and one line saying why.
"""
from __future__ import annotations

import json
import re
import shlex
import time
from dataclasses import dataclass, field

from labtools.grading.machine import Machine
from labtools.grading.submission import FILES, RELOAD_SCRIPT, SITES, UNIT

# The exercise's answers (../shared/spec: tasks 2 to 7).
HELLO_PATH, HELLO_TEXT = "/airbnb-onepage/", "Hello HBNB!"
ERROR_LOG, ACCESS_LOG = "/tmp/airbnb-error.log", "/tmp/airbnb-access.log"
FOOTER = "Holberton School"
SUBMISSION_DIR = "0x1A-application_server"    # in the student's home, as on their server
ENABLED = "/etc/nginx/sites-enabled"
# A reload that returns once Nginx's old workers are gone, so the next request
# meets the new configuration.
RELOAD_NGINX = ("master=$(systemctl show --property MainPID --value nginx); old=$(pgrep -P \"$master\"); "
                "systemctl reload nginx || exit 1; for i in $(seq 200); do alive=; for pid in $old; do "
                "kill -0 \"$pid\" 2>/dev/null && alive=1; done; [ -z \"$alive\" ] && break; sleep 0.05; done")


@dataclass
class Verdict:
    task: int
    passed: bool
    cause: str = ""                                   # one line: why it failed (or a note when it passed)
    notes: list[str] = field(default_factory=list)    # what else the grader saw


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class PracticeWeb:
    """One practice web server being graded (lab.yml's apps and practice facts)."""

    def __init__(self, machine: Machine, lab: dict, grading_home_mode: str):
        self.machine = machine
        self.lab = lab
        self.practice = lab["practice"]
        self.user = self.practice["user"]
        self.home = self.practice["checkout"].rsplit("/", 1)[0]
        self.home_mode = grading_home_mode
        self.apps = {app["module"]: app for app in lab["apps"]}
        self.page = self.apps["web_dynamic.2-hbnb:app"]
        self.folder = f"{self.home}/{SUBMISSION_DIR}"
        self.substituted = False      # a working unit stands in for the handed-in one (task 7)

    # --- requests made on the machine -------------------------------------------

    def get(self, url: str, method: str = "GET", timeout: int = 8) -> Answer:
        """One request by curl on the machine; status 0 when nothing answered."""
        head = "-I" if method == "HEAD" else ""
        out = self.machine.root(f"curl -sS -i {head} --max-time {timeout} {shlex.quote(url)}", timeout=timeout + 10)
        if out.rc != 0:
            return Answer(0, {}, out.err.strip())
        raw = out.out
        # Skip "100 Continue" and similar interim answers.
        while raw.startswith("HTTP/1.1 1"):
            raw = raw.split("\r\n\r\n", 1)[-1]
        head_text, _, body = raw.partition("\r\n\r\n")
        lines = head_text.split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            return Answer(0, {}, f"not HTTP: {lines[0][:80]!r}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Answer(status, headers, body)

    # --- the state every submission starts from ----------------------------------

    def reset(self, texts: dict[str, str], modes: dict[str, int]) -> None:
        """The practice state as provisioned, then the handed-in files in the
        student's home, and the stand-ins of the Gunicorns started by hand."""
        self.machine.check(f"hbnb-practice-reset >/dev/null && chmod {self.home_mode} {shlex.quote(self.home)}")
        self.machine.put(self.folder, {name: (text, modes.get(name, 0o644)) for name, text in texts.items()},
                         self.user)
        self.start_stand_ins(self.apps.values())

    def start_stand_ins(self, apps) -> None:
        units = " ".join(f"practice-{app['name']}.service" for app in apps)
        ports = " ".join(str(app["port"]) for app in apps)
        self.machine.check(
            f"systemctl start {units}; for port in {ports}; do for i in $(seq 100); do "
            "curl -s -o /dev/null --max-time 2 127.0.0.1:$port/ && break; sleep 0.1; done; done")

    # --- tasks 2 to 5: each site as the only site ----------------------------------

    def activate_site(self, name: str) -> str:
        """Makes the handed-in site the only enabled one; '' or nginx -t's refusal."""
        quoted = shlex.quote(f"{self.folder}/{name}")
        result = self.machine.root(
            f"install -m 644 {quoted} /etc/nginx/sites-available/{name} && "
            f"find {ENABLED} -mindepth 1 -delete && ln -s /etc/nginx/sites-available/{name} {ENABLED}/{name} && "
            f"nginx -t 2>&1 && {RELOAD_NGINX}")
        if result.rc == 0:
            return ""
        lines = [line for line in result.out.splitlines() if "[emerg]" in line] or result.out.splitlines()[-1:]
        refusal = lines[0] if lines else result.err
        refusal = re.sub(r"^(?:nginx: |[\d/]+ [\d:]+ )\[emerg\] (?:\d+#\d+: )?", "", refusal)
        refusal = refusal.replace(f"/etc/nginx/sites-enabled/{name}:", "line ")
        return one_line(f"nginx -t refuses {name}: {refusal}")

    def site_verdict(self, name: str) -> Verdict:
        task = FILES[name]
        refused = self.activate_site(name)
        if refused:
            return Verdict(task, False, refused)
        check = {2: self.check_onepage, 3: self.check_number, 4: self.check_api, 5: self.check_page}[task]
        # A second for an upstream that just got its first request.
        cause = check()
        if cause:
            time.sleep(1)
            cause = check()
        return Verdict(task, not cause, cause)

    def nginx_error(self) -> str:
        """The last error Nginx logged, without its time and client details."""
        line = self.machine.root("tail -n 1 /var/log/nginx/error.log", timeout=10).out.strip()
        match = re.search(r"\[(?:error|crit|alert|emerg)\] [\d#*: ]*(.*?)(?:, client: .*)?$", line)
        if not match:
            return ""
        message = match.group(1)
        if re.search(r'open\(\) "[^"]*/~/', message):
            return " (Nginx looked for the file under a literal ~: Nginx does not expand ~ in alias or root; write the full path)"
        return f" (Nginx: {one_line(message, 120)})"

    def gateway_hint(self, answer: Answer, app: dict, path: str) -> str:
        return self.gateway_cause(answer, app, path) + (self.nginx_error() if answer.status >= 400 else "")

    def gateway_cause(self, answer: Answer, app: dict, path: str) -> str:
        port = app["port"]
        if answer.status == 0:
            return f"no answer on port 80 ({one_line(answer.body, 80)}): is Nginx running?"
        if answer.status == 502:
            return f"502 Bad Gateway for {path}: the site proxies it to a port where nothing of {app['module']} listens (it runs on 127.0.0.1:{port}), or to a host Nginx cannot resolve"
        if answer.status == 404:
            where = "Nginx's" if "nginx" in answer.headers.get("server", "") and "<center>nginx" in answer.body else "the app's"
            return f"404 ({where}) for {path}: no location matches it, or proxy_pass rewrote the path (a URI part after the port replaces the matched prefix)"
        if answer.status in (301, 302, 307, 308):
            return f"{answer.status} redirect for {path} to {answer.headers.get('location', '?')}: a location or proxy_pass that adds or drops a slash"
        if answer.status == 403:
            return f"403 for {path}: Nginx may not read the files there (www-data needs x on every folder above them)"
        return f"HTTP {answer.status} for {path}: see /var/log/nginx/error.log"

    def check_onepage(self) -> str:
        app = self.apps["web_flask.0-hello_route:app"]
        for where in ("127.0.0.1", self.machine.address):
            head = self.get(f"http://{where}{HELLO_PATH}", "HEAD")
            if head.status != 200:
                return self.gateway_hint(head, app, HELLO_PATH)
            if not head.headers.get("server", "").startswith("nginx"):
                return f"Server is {head.headers.get('server')!r} on port 80, not nginx"
            if head.headers.get("content-length") != str(len(HELLO_TEXT)):
                return f"Content-Length {head.headers.get('content-length')!r} for {HELLO_PATH}, want {len(HELLO_TEXT)}"
            if head.headers.get("x-served-by") != self.machine.name:
                return (f"X-Served-By is {head.headers.get('x-served-by')!r}, want the hostname {self.machine.name!r}: "
                        "add_header X-Served-By $hostname; (a server-level add_header hides nginx.conf's)")
        body = self.get(f"http://127.0.0.1{HELLO_PATH}")
        if body.body != HELLO_TEXT:
            return f"{HELLO_PATH} answers {one_line(body.body, 60)!r}, want {HELLO_TEXT!r}"
        return ""

    def check_number(self) -> str:
        app = self.apps["web_flask.6-number_odd_or_even:app"]
        for number, parity in ((6, "even"), (5, "odd")):
            path = f"/airbnb-dynamic/number_odd_or_even/{number}"
            answer = self.get(f"http://127.0.0.1{path}")
            if answer.status != 200:
                return self.gateway_hint(answer, app, path)
            if f"<H1>Number: {number} is {parity}</H1>" not in answer.body:
                return f"{path} answers without <H1>Number: {number} is {parity}</H1> (the path reached the app changed?)"
        return ""

    def check_api(self) -> str:
        app = self.apps["api.v1.app:app"]
        for path, kind in (("/api/v1/states", list), ("/api/v1/stats", dict)):
            answer = self.get(f"http://127.0.0.1{path}")
            if answer.status != 200:
                return self.gateway_hint(answer, app, path)
            try:
                value = json.loads(answer.body)
            except ValueError:
                return f"{path} does not answer JSON ({one_line(answer.body, 60)!r})"
            if not isinstance(value, kind) or not value:
                return f"{path} answers {one_line(answer.body, 60)!r}, want a non-empty JSON {kind.__name__}"
        return ""

    def check_page(self) -> str:
        answer = self.get("http://127.0.0.1/")
        if answer.status != 200:
            return self.gateway_hint(answer, self.page, "/")
        body = answer.body
        if FOOTER not in body[-400:] or "</html>" not in body[-50:]:
            return (f"/ answers {one_line(body[-80:], 80)!r}, not the page (it ends with the footer): "
                    f"location / must proxy to the page app on 127.0.0.1:{self.page['port']}")
        assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"?]+)', body)))
        if not assets:
            return "/ references no /static/ file"
        for asset in assets:
            got = self.get(f"http://127.0.0.1{asset}")
            if got.status != 200:
                return f"{asset}: {self.gateway_hint(got, self.page, asset)}"
        status = self.get("http://127.0.0.1/api/v1/status/")
        if status.status != 200 or '"OK"' not in status.body.replace(" ", ""):
            return f"/api/v1/status/ (the page's status badge): {self.gateway_hint(status, self.apps['api.v1.app:app'], '/api/v1/status/')}"
        return ""

    # --- task 6: the unit ---------------------------------------------------------

    def install_unit(self) -> list[str]:
        """gunicorn.service as the exercise says: copied, enabled, started. What
        systemctl said when it refused something."""
        said = []
        self.machine.check(f"systemctl stop practice-{self.page['name']}.service")
        result = self.machine.root(
            f"install -m 644 {shlex.quote(self.folder + '/' + UNIT)} /etc/systemd/system/{UNIT} && "
            f"systemctl daemon-reload && systemctl enable {UNIT} 2>&1", timeout=60)
        if result.rc != 0 or "no installation config" in result.out or "Unit files have no installation" in result.out:
            said.append(one_line(f"systemctl enable: {result.out or result.err}", 160))
        started = self.machine.root(f"systemctl start {UNIT} 2>&1", timeout=60)
        if started.rc != 0:
            said.append(one_line(f"systemctl start: {started.out or started.err}", 160))
        return said

    def unit_state(self) -> dict[str, str]:
        out = self.machine.root(f"systemctl show {UNIT} --property ActiveState,SubState,LoadState,UnitFileState,"
                                "MainPID,PrivateTmp,ExecMainStatus,Result,WantedBy", timeout=10).out
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def journal(self, lines: int = 12) -> list[str]:
        out = self.machine.root(f"journalctl -b -u {UNIT} -n {lines} --no-pager -o cat 2>/dev/null", timeout=10).out
        return [line for line in out.splitlines() if line.strip()]

    def master_on_page_port(self) -> int:
        """The Gunicorn master serving the page's port: the listener whose parent
        does not listen too (0 when nothing listens)."""
        out = self.machine.root(f"ss -Hltnp 'sport = :{self.page['port']}'", timeout=10).out
        pids = {int(pid) for pid in re.findall(r"pid=(\d+)", out)}
        for pid in sorted(pids):
            parent = self.machine.root(f"ps -o ppid= -p {pid}", timeout=10).out.strip()
            if parent and int(parent) not in pids:
                return pid
        return 0

    def wait_for_page_master(self, timeout: float = 10) -> int:
        """The page port's master once something listens there (0 after ``timeout``):
        a Type=simple unit is active before Gunicorn has bound its port."""
        deadline = time.monotonic() + timeout
        while True:
            master = self.master_on_page_port()
            if master or time.monotonic() >= deadline:
                return master
            time.sleep(0.2)

    def page_answers(self, timeout: float = 10) -> bool:
        """Whether the page answers on its port within ``timeout`` (a Gunicorn
        whose workers cannot boot listens for a moment, then exits)."""
        url = f"http://127.0.0.1:{self.page['port']}/2-hbnb"
        return self.machine.root(
            f"for i in $(seq {int(timeout * 5)}); do [ \"$(curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 {url})\" = 200 ] "
            "&& exit 0; sleep 0.2; done; exit 1", timeout=timeout + 20).rc == 0

    def workers(self, master: int) -> set[int]:
        return {int(pid) for pid in self.machine.root(f"pgrep -P {master}", timeout=10).out.split()}

    # systemd's own lines about a unit's life: they say that it failed, not why.
    GENERIC = re.compile(r"^(?:Started|Stopped|Starting|Stopping|Failed to start|Deactivated|Consumed|Scheduled restart|"
                         r"gunicorn\.service: (?:Main process exited|Failed with result|Control process exited|"
                         r"Scheduled restart|Consumed|Deactivated))")
    # What says most about a failure, first: Python's and the tools' own words.
    STRONGEST = re.compile(r"No module named|ModuleNotFoundError|ImportError|isn't writable|Permission denied|"
                           r"No such file|not found|Failed to locate|Failed at step|Invalid|Unknown|"
                           r"Error: |error: |not absolute|usage:", re.I)
    TELLING = re.compile(r"(?i)error|failed|invalid|not found|no such|denied|unknown|cannot|can't|bad|usage|"
                         r"missing|not absolute|no module|refus|isn't writable|exception")

    def failed_command(self) -> str:
        """The unit's command that failed, as systemd recorded it: 'ExecStartPre=/bin/mkdir ... (status 1)'."""
        out = self.machine.root(f"systemctl show {UNIT} --property ExecStartPre,ExecStart", timeout=10).out
        for line in out.splitlines():
            key, _, value = line.partition("=")
            for command in re.findall(r"\{(.*?)\}", value):
                argv = re.search(r"argv\[\]=(.*?) ;", command)
                status = re.search(r"code=(\w+) ; status=([\w/]+)", command)
                if argv and status and status.group(2) not in ("0", "0/SUCCESS"):
                    return f"{key}={one_line(argv.group(1), 50)} {status.group(1)} with status {status.group(2)}"
        return ""

    def output_of_unit(self, text: str) -> list[str]:
        """What the unit's processes said: the journal, and the files its
        StandardOutput=/StandardError= append to, and Gunicorn's error log."""
        files = re.findall(r"^\s*Standard(?:Output|Error)\s*=\s*(?:append|file|truncate):(\S+)", text, re.M)
        files += re.findall(r"--error-logfile[= ](\S+)", text) or [ERROR_LOG]
        quoted = " ".join(shlex.quote(f) for f in dict.fromkeys(files))
        out = self.machine.root(f"journalctl -b -u {UNIT} -n 30 --no-pager -o cat 2>/dev/null; "
                                f"for f in {quoted}; do tail -n 30 \"$f\" 2>/dev/null; done", timeout=10).out
        return [line.strip() for line in out.splitlines() if line.strip() and not self.GENERIC.match(line.strip())]

    @staticmethod
    def shell_syntax(text: str) -> str:
        """A note when ExecStart= has shell syntax, which systemd passes on as arguments."""
        exec_start = " ".join(re.findall(r"^\s*ExecStart\s*=(.*(?:\\\n.*)*)", text, re.M))
        found = re.search(r"\s(>>?|2>>?|&>|&&|\||;|&)(?=\s|/|$)|\$\(|`", exec_start)
        return (f"; ExecStart= is not run by a shell: {found.group(0).strip()!r} goes to Gunicorn as an argument"
                if found else "")

    @staticmethod
    def known_cause(text: str, output: list[str]) -> str:
        """What a failure's message means, for the mistakes students are known to make."""
        said = " ".join(output)
        module = re.search(r"No module named '([^']*/[^']*)'", said)
        if module:
            return f"; the app is a Python module, written with dots: {module.group(1).replace('/', '.')}:app, not a path"
        for path in re.findall(r"^\s*Standard(?:Output|Error)\s*=\s*(?:append|file):(\S+)", text, re.M):
            if re.search(rf"--(?:error|access)-logfile[= ]{re.escape(path)}(?:\s|$)", text):
                return (f"; StandardError/StandardOutput=append:{path} and Gunicorn's own log option name the same "
                        f"file: systemd creates it as root first, and Gunicorn (User=) cannot write it")
        return ""

    def why_not_running(self, text: str, state: dict[str, str], said: list[str], after_reboot: bool) -> str:
        """One line on why gunicorn.service does not run."""
        if not re.search(r"^\s*\[Service\]", text, re.M):
            return (f"{UNIT} is not a systemd unit: it has no [Service] section "
                    "(an Upstart job's `start on`/`exec` lines mean nothing to systemd)")
        output = self.output_of_unit(text)
        telling = ([line for line in output if self.STRONGEST.search(line)]
                   or [line for line in output if self.TELLING.search(line)] or output)
        if state.get("LoadState") not in ("loaded", None):
            return one_line(f"systemd cannot load {UNIT} ({state.get('LoadState')}): {(telling or ['?'])[-1]}")
        if after_reboot and state.get("UnitFileState") != "enabled" and state.get("ActiveState") == "inactive":
            wanted = re.findall(r"^\s*WantedBy\s*=\s*(.+)$", text, re.M)
            if not re.search(r"^\s*\[Install\]", text, re.M):
                return f"{UNIT} did not come back after a reboot: it has no [Install] section, so systemctl enable cannot start it at boot"
            if wanted:
                return (f"{UNIT} did not come back after a reboot: WantedBy={wanted[0].strip()} "
                        "is not a target that is reached at boot (WantedBy=multi-user.target)")
            return f"{UNIT} did not come back after a reboot: it is {state.get('UnitFileState')}, not enabled"
        if after_reboot and state.get("ActiveState") == "inactive" and not telling:
            wanted = re.findall(r"^\s*WantedBy\s*=\s*(.+)$", text, re.M)
            return (f"{UNIT} did not come back after a reboot (enabled for "
                    f"{wanted[0].strip() if wanted else 'no target'}; WantedBy=multi-user.target)")
        command = self.failed_command()
        detail = (telling or said or ["no message"])[-1]
        meaning = self.known_cause(text, telling) + self.shell_syntax(text)
        # A unit caught between its master's start and exit is "running" or "auto-restart".
        how = {"running": "it exits as it starts", "auto-restart": "it exits; systemd restarts it"}.get(
            state.get("SubState", ""), state.get("SubState"))
        return one_line(f"{UNIT} does not run ({how}): {meaning.lstrip('; ') + ' - ' if meaning else ''}"
                        f"{detail}{' (' + command + ')' if command else ''}", 400)

    def explained_failure(self, text: str, said: list[str]) -> Verdict | None:
        """Task 6's verdict when Gunicorn's own words name a known mistake, else None.
        Its master binds the port, then exits when no worker boots (an app it
        cannot import): on a busy machine the unit looks "active", even listening,
        for a moment, so what it said outranks what is seen running."""
        if self.known_cause(text, self.output_of_unit(text)):
            return Verdict(6, False, self.why_not_running(text, self.unit_state(), said, after_reboot=True))
        return None

    def unit_verdict(self, text: str, said: list[str]) -> Verdict:
        """After the reboot: the unit runs the page with 3 workers on 0.0.0.0:5003,
        the database settings, and the two log files in /tmp, the access log growing."""
        state = self.unit_state()
        if state.get("ActiveState") != "active":
            return Verdict(6, False, self.why_not_running(text, state, said, after_reboot=True))
        port, workers_wanted = self.page["port"], self.page["workers"]
        master = self.wait_for_page_master()
        listeners = self.machine.root(f"ss -Hltn 'sport = :{port}'", timeout=10).out if master else ""
        if not listeners.split() and (explained := self.explained_failure(text, said)):
            return explained
        if not master:
            return Verdict(6, False, f"{UNIT} runs, but nothing listens on port {port} (--bind 0.0.0.0:{port}): "
                                     f"{(self.journal() or ['?'])[-1]}")
        if f"0.0.0.0:{port}" not in listeners and f"*:{port}" not in listeners:
            return Verdict(6, False, f"{UNIT} listens on {listeners.split()[3] if listeners.split() else '?'}, "
                                     f"not 0.0.0.0:{port} (--bind 0.0.0.0:{port})")
        count = 0
        for _ in range(25):     # the workers boot just after the master binds the port
            count = len(self.workers(master))
            if count == workers_wanted:
                break
            time.sleep(0.2)
        if count != workers_wanted:
            # The master may have bound the port and died since (no worker booted).
            if explained := self.explained_failure(text, said):
                return explained
            return Verdict(6, False, f"{UNIT} runs {count} workers, the task says {workers_wanted} (--workers {workers_wanted})")
        answer = self.get(f"http://127.0.0.1:{port}/2-hbnb")
        if answer.status != 200 or FOOTER not in answer.body:
            return Verdict(6, False, f"127.0.0.1:{port}/2-hbnb gave HTTP {answer.status or one_line(answer.body, 80)} "
                                     f"(the module web_dynamic.2-hbnb:app from the checkout? {ERROR_LOG})")
        if "<article" not in answer.body:
            return Verdict(6, False, "the page lists no places: the MySQL settings are missing from the unit's "
                                     "environment (HBNB_TYPE_STORAGE=db and HBNB_MYSQL_USER/PWD/HOST/DB in Environment=)")
        private = state.get("PrivateTmp") == "yes"
        for log in (ERROR_LOG, ACCESS_LOG):
            if self.machine.root(f"test -f {log}", timeout=10).rc != 0:
                hint = ("PrivateTmp=true puts them in a private /tmp" if private
                        else f"--error-logfile {ERROR_LOG} --access-logfile {ACCESS_LOG}")
                return Verdict(6, False, f"log paths: {log} does not exist after a reboot ({hint}){self.shell_syntax(text)}")
        size = lambda path: int(self.machine.root(f"stat -c %s {path}", timeout=10).out.strip() or 0)  # noqa: E731
        before = size(ACCESS_LOG)
        self.get(f"http://127.0.0.1:{port}/2-hbnb")
        grew = False
        for _ in range(20):
            if size(ACCESS_LOG) > before:
                grew = True
                break
            time.sleep(0.1)
        if not grew:
            through = " (StandardOutput= gets no access log: Gunicorn writes it only with --access-logfile)" \
                if re.search(r"^\s*StandardOutput\s*=.*airbnb-access", text, re.M) else ""
            return Verdict(6, False, f"log paths: {ACCESS_LOG} does not grow with requests{through}: --access-logfile {ACCESS_LOG}")
        if size(ERROR_LOG) == 0:
            return Verdict(6, False, f"log paths: {ERROR_LOG} is empty: Gunicorn's start-up lines belong there (--error-logfile {ERROR_LOG})")
        return Verdict(6, True)

    # --- task 7: the reload script ---------------------------------------------------

    def ensure_unit_for_reload(self) -> str:
        """gunicorn.service running for the script: the student's, started by hand
        if needed, or (when it cannot run) a working one. '' or a note."""
        if self.unit_state().get("ActiveState") != "active":
            self.machine.root(f"systemctl start {UNIT}", timeout=60)
        if self.unit_state().get("ActiveState") == "active" and self.wait_for_page_master() and self.page_answers():
            return ""
        # The stand-in of the page, under the exercise's unit name, with log files
        # of its own (the handed-in unit may have left root's in their place).
        self.machine.check(
            f"systemctl stop {UNIT} 2>/dev/null; systemctl reset-failed {UNIT} 2>/dev/null; rm -f {ERROR_LOG} {ACCESS_LOG}; "
            f"sed -e 's#^ExecStart=\\(.*\\)--workers#ExecStart=\\1--error-logfile {ERROR_LOG} --access-logfile {ACCESS_LOG} --workers#' "
            f"/etc/systemd/system/practice-{self.page['name']}.service > /etc/systemd/system/{UNIT} && "
            f"systemctl daemon-reload && systemctl start {UNIT}")
        self.wait_for_page_master()
        self.substituted = True
        return f"the script ran against a working {UNIT}: the handed-in one does not serve the page (task 6)"

    def restore_unit(self) -> None:
        """The handed-in unit back in place of the working one the script ran
        against (its enablement untouched), for the reboot of task 6."""
        if self.substituted:
            self.machine.check(
                f"systemctl stop {UNIT}; install -m 644 {shlex.quote(self.folder + '/' + UNIT)} "
                f"/etc/systemd/system/{UNIT} && systemctl daemon-reload && systemctl reset-failed {UNIT} 2>/dev/null; true")
            self.substituted = False

    def reload_verdict(self, script_mode: int) -> Verdict:
        port = self.page["port"]
        master = self.wait_for_page_master()
        old = self.workers(master)
        # Gunicorn's log lines from now on say which processes get a HUP.
        started_at = self.machine.root("date '+%Y-%m-%d %H:%M:%S.%N' | cut -c1-23", timeout=10).out.strip()
        client = (f"rm -f /tmp/grade-codes /tmp/grade-stop; (for i in $(seq 600); do [ -e /tmp/grade-stop ] && break; "
                  f"curl -s -o /dev/null -w '%{{http_code}}\\n' --max-time 10 http://127.0.0.1:{port}/2-hbnb; done "
                  "> /tmp/grade-codes; echo end >> /tmp/grade-codes) >/dev/null 2>&1 &")
        self.machine.check(client + " for i in $(seq 100); do [ -s /tmp/grade-codes ] && break; sleep 0.05; done")
        script = f"{self.folder}/{RELOAD_SCRIPT}"
        run = f"cd {shlex.quote(self.folder)} && ./{RELOAD_SCRIPT}" if script_mode & 0o100 else f"bash {shlex.quote(script)}"
        result = self.machine.root(f"{run} </dev/null", timeout=90)
        # The new workers come up after the HUP: wait for a full set (10 s at most).
        new: set[int] = set()
        after = 0
        for _ in range(50):
            after = self.master_on_page_port()
            new = self.workers(after) if after else set()
            if after and not (new & old) and len(new) == self.page["workers"]:
                break
            time.sleep(0.2)
        time.sleep(0.3)
        self.machine.root("touch /tmp/grade-stop; for i in $(seq 200); do tail -n 1 /tmp/grade-codes | grep -qx end && break; sleep 0.05; done", timeout=30)
        codes = self.machine.root("grep -v end /tmp/grade-codes", timeout=10).out.split()
        failed = [code for code in codes if code != "200"]
        # What got a HUP, from Gunicorn's own log lines (the page's error log and
        # the journal of every Gunicorn unit).
        log_text = self.machine.root(
            f"journalctl --since {shlex.quote(started_at)} -u 'gunicorn*' -u 'practice-*' --no-pager -o cat 2>/dev/null; "
            "cat /tmp/airbnb-*.log 2>/dev/null", timeout=10).out
        hupped = sorted(set(int(pid) for pid in re.findall(r"Worker \(pid:(\d+)\) was sent SIGHUP", log_text)))
        notes = [f"{len(codes)} requests during the reload, {len(failed)} failed" if codes else "no request answered"]
        if result.rc != 0:
            said = (result.err.strip() or result.out.strip()).splitlines() or ["no message"]
            return Verdict(7, False, one_line(f"{RELOAD_SCRIPT} failed (exit {result.rc}): {said[-1]}"), notes)
        if after != master:
            return Verdict(7, False, f"the master changed ({master} -> {after or 'none'}): the script restarted "
                                     f"Gunicorn instead of reloading it (HUP to the master keeps it)"
                                     + (f"; {len(failed)} of {len(codes)} requests failed" if failed else ""), notes)
        if hupped:
            workers = ", ".join(map(str, hupped))
            return Verdict(7, False, f"HUP sent to every Gunicorn process: workers {workers} got SIGHUP and died at once "
                                     f"besides the master {master}; {len(failed)} of {len(codes)} requests failed "
                                     "(signal the master only: systemctl reload, or kill -HUP its PID)", notes)
        if old & new:
            return Verdict(7, False, f"no HUP reached the master {master} of port {port}: workers {sorted(old & new)} "
                                     "were not replaced" + self.hup_elsewhere(log_text), notes)
        if failed:
            return Verdict(7, False, f"{len(failed)} of {len(codes)} requests failed during the reload "
                                     f"({', '.join(sorted(set(failed)))})", notes)
        if len(new) != self.page["workers"]:
            return Verdict(7, False, f"{len(new)} workers after the reload, want {self.page['workers']}", notes)
        return Verdict(7, True, "", notes)

    def hup_elsewhere(self, log_text: str) -> str:
        """Which other Gunicorn got the HUP, if one logged it."""
        if "Handling signal: hup" in log_text:
            return " (a HUP reached another Gunicorn: the script picks the wrong master)"
        return ""
