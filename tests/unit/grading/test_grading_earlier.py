"""labtools.grade.earlier_rules_met: which of the pack's `grading.earlier` rules
the student's own earlier project meets (0x1A: where their load balancer project
put X-Served-By decides whether the practice server's http-level header stays)."""
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
], ids=["sed-append", "sites-enabled", "heredoc-site"])
def test_a_header_in_the_default_site_meets_the_rule(tmp_path, script):
    met = grade.earlier_rules_met(repository(tmp_path, script), PACK)
    assert [rule["file"] for rule in met] == [HEADER_SCRIPT]


@pytest.mark.parametrize("script", [
    '#!/usr/bin/env bash\n# header\nsed -i "/http {/a \\\\tadd_header X-Served-By $hostname;" /etc/nginx/nginx.conf\n',
    '#!/usr/bin/env bash\n# header\necho "add_header X-Served-By $HOSTNAME;" > /etc/nginx/conf.d/custom_header.conf\n',
    # the default site named only in a comment
    '#!/usr/bin/env bash\n# not in sites-available/default\n'
    'echo "add_header X-Served-By $hostname;" > /etc/nginx/snippets/served-by.conf\n',
], ids=["nginx.conf", "conf.d", "comment-only"])
def test_a_header_at_http_level_does_not(tmp_path, script):
    assert grade.earlier_rules_met(repository(tmp_path, script), PACK) == []


def test_no_earlier_project_beside_the_folder_changes_nothing(tmp_path):
    assert grade.earlier_rules_met(repository(tmp_path, None), PACK) == []
    assert grade.earlier_rules_met(submission.load(tmp_path / PACK.id, PACK), PACK) == []
