"""labtools.grade.their_server_rules_met: which of the pack's `grading.their_server`
rules the student's own files meet (0x1A: where their load balancer project, or
their site, puts X-Served-By decides whether the practice server's http-level
header stays)."""
from pathlib import Path

import pytest

from labtools import grade
from labtools.exercise import pack as packs
from labtools.grading import submission

PACK = packs.load("0x1A-application_server")
HEADER_SCRIPT = "0x0F-load_balancer/0-custom_http_response_header"


def repository(tmp_path: Path, header_script: str | None) -> submission.Submission:
    (tmp_path / PACK.id).mkdir()
    (tmp_path / PACK.id / "2-app_server-nginx_config").write_text("server {\n    listen 80;\n}\n")
    if header_script is not None:
        script = tmp_path / HEADER_SCRIPT
        script.parent.mkdir(parents=True)
        script.write_text(header_script)
    return submission.load(tmp_path, PACK)


@pytest.mark.parametrize("script", [
    '#!/usr/bin/env bash\n# header\napt-get -y install nginx\n'
    'sudo sed -i "/server_name _;/a \\\\tadd_header X-Served-By $hostname;" /etc/nginx/sites-available/default\n',
    '#!/usr/bin/env bash\n# header\nfile=/etc/nginx/sites-enabled/default\nsed -i "s/listen 80 default_server;/'
    'listen 80 default_server;\\n\\tadd_header X-Served-By $HOSTNAME;/" $file\nservice nginx restart\n',
    # a whole site written by a heredoc: the file named a few lines above the header
    '#!/usr/bin/env bash\n# header\ncat > /etc/nginx/sites-available/default <<EOF\nserver {\n\tlisten 80;\n'
    '\troot /var/www/html;\n\tadd_header X-Served-By \\$hostname;\n}\nEOF\nservice nginx restart\n',
    # a long heredoc: the file named twenty lines above the header
    '#!/usr/bin/env bash\n# header\nsudo tee /etc/nginx/sites-available/default > /dev/null <<EOT\nserver {\n'
    + "    listen 80;\n" * 20 + '    add_header X-Served-By $HOSTN;\n}\nEOT\nservice nginx restart\n',
    # the file in a variable set at the top
    '#!/usr/bin/env bash\n# header\nSITE="/etc/nginx/sites-enabled/default"\napt-get -y install nginx\n'
    + "echo step\n" * 10 + 'sed -i "/server_name _;/a add_header X-Served-By $hostname;" "$SITE"\n',
    # the site kept in a variable, written far below
    '#!/usr/bin/env bash\n# header\ndefault=/etc/nginx/sites-enabled/default\ncontents=$(cat <<END\nserver {\n'
    '    add_header X-Served-By "$HOSTNAME";\n}\nEND\n)\n' + "echo step\n" * 10 + 'echo "$contents" | tee "$default"\n',
], ids=["sed-append", "sites-enabled", "heredoc-site", "long-heredoc", "file-in-variable", "site-in-variable"])
def test_a_header_in_the_default_site_meets_the_rule(tmp_path, script):
    met = grade.their_server_rules_met(repository(tmp_path, script), PACK)
    assert [rule["file"] for rule in met] == [HEADER_SCRIPT]


@pytest.mark.parametrize("script", [
    '#!/usr/bin/env bash\n# header\nsed -i "/http {/a \\\\tadd_header X-Served-By $hostname;" /etc/nginx/nginx.conf\n',
    '#!/usr/bin/env bash\n# header\necho "add_header X-Served-By $HOSTNAME;" > /etc/nginx/conf.d/custom_header.conf\n',
    # the default site named only in a comment
    '#!/usr/bin/env bash\n# not in sites-available/default\n'
    'echo "add_header X-Served-By $hostname;" > /etc/nginx/snippets/served-by.conf\n',
    # a heredoc into nginx.conf after one into the default site
    '#!/usr/bin/env bash\n# header\ncat > /etc/nginx/sites-available/default <<EOF\nserver { listen 80; }\nEOF\n'
    + "echo step\n" * 10 + 'cat > /etc/nginx/nginx.conf <<EOF\nhttp {\n' + "    sendfile on;\n" * 10
    + '    add_header X-Served-By \\$hostname;\n}\nEOF\n',
], ids=["nginx.conf", "conf.d", "comment-only", "heredoc-nginx.conf"])
def test_a_header_at_http_level_does_not(tmp_path, script):
    assert grade.their_server_rules_met(repository(tmp_path, script), PACK) == []


def test_no_earlier_project_beside_the_folder_changes_nothing(tmp_path):
    assert grade.their_server_rules_met(repository(tmp_path, None), PACK) == []
    assert grade.their_server_rules_met(submission.load(tmp_path / PACK.id, PACK), PACK) == []


def bare_folder(tmp_path: Path, site: str) -> submission.Submission:
    (tmp_path / "2-app_server-nginx_config").write_text(site)
    return submission.load(tmp_path, PACK)


@pytest.mark.parametrize("site", [
    # the header swallowed as a server name (no ';' after server_name)
    "server {\n    listen 80;\n    server_name 127.0.0.1 52.1.2.3\n    add_header X-Served-By 1234-web-01;\n"
    "    location /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000; }\n}\n",
    # the header only in a location the route does not use
    "server {\n    listen 80;\n    location / {\n        add_header X-Served-By $hostname;\n    }\n"
    "    location /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000; }\n}\n",
], ids=["swallowed", "other-location"])
def test_a_site_that_sets_the_header_itself_meets_the_rule(tmp_path, site):
    met = grade.their_server_rules_met(bare_folder(tmp_path, site), PACK)
    assert [rule["file"] for rule in met] == ["2-app_server-nginx_config"]


def test_a_site_that_names_the_header_only_in_a_comment_does_not(tmp_path):
    site = "server {\n    listen 80;\n    # add_header X-Served-By: set in nginx.conf\n}\n"
    assert grade.their_server_rules_met(bare_folder(tmp_path, site), PACK) == []


# What the grade assumed where the student's files do not say (grade.their_server_unknowns).
NO_HEADER_SITE = "server {\n    listen 80;\n    location /airbnb-onepage/ { proxy_pass http://127.0.0.1:5000; }\n}\n"


def unknowns(found: submission.Submission) -> list[str]:
    return grade.their_server_unknowns(found, PACK, grade.their_server_rules_met(found, PACK))


def test_a_folder_alone_whose_site_sets_no_header_says_what_was_assumed(tmp_path):
    notes = unknowns(bare_folder(tmp_path, NO_HEADER_SITE))
    assert len(notes) == 1 and notes[0].startswith(f"{HEADER_SCRIPT} is not beside this folder")
    assert "http level" in notes[0] and "default site" in notes[0]


def test_a_folder_alone_whose_site_sets_the_header_needs_no_assumption(tmp_path):
    site = NO_HEADER_SITE.replace("listen 80;", "listen 80;\n    add_header X-Served-By $hostname;")
    assert unknowns(bare_folder(tmp_path, site)) == []


@pytest.mark.parametrize("script", [
    '#!/usr/bin/env bash\n# header\nsed -i "/server_name _;/a add_header X-Served-By $hostname;" /etc/nginx/sites-available/default\n',
    '#!/usr/bin/env bash\n# header\nsed -i "/http {/a add_header X-Served-By $hostname;" /etc/nginx/nginx.conf\n',
], ids=["default-site", "nginx.conf"])
def test_a_folder_in_their_repository_is_graded_as_their_files_say(tmp_path, script):
    assert unknowns(repository(tmp_path, script)) == []
