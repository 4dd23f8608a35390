# Entry points of hbnb-lab.
#   make up       the three machines up and serving (sets up the host for LXC when
#                 neither VirtualBox nor libvirt is there)
#   make test     unit tests, the lab up, the testinfra suite against it, then the
#                 grader's tests on three practice labs beside it
#   make matrix   the lab on the other systems and providers in turn (CI runs it)
#   make check [EXERCISE=0x0F] [TASK=n] [REBOOT=1] [V=1]   the exercise's checks on the running lab:
#                 per task PASS or FAIL with causes (exercises/<id>/, the lab's exercise by default)
#   make hint TASK=n / make solution TASK=n [APPLY=1] / make practice EXERCISE=0x0F
#   make destroy / rebuild / ssh-config
#   make reset-practice MACHINE=web-02   one machine rebuilt in practice mode
#   make grade [EXERCISE=0x0F] SUBMISSION=folder   a student's files graded on a practice lab
#   make grade-class CLASS=folder        every submission folder in it; JUnit XML each, one CSV
#                                        (LABS=N practice labs side by side, SHARD=K/N)
#   make diagnose                        the suite's diagnoses checked against broken machines
# Every target can be re-run after an interrupted run.
SHELL := /usr/bin/env
.SHELLFLAGS := bash -euo pipefail -c
# .SHELLFLAGS needs GNU make 3.82 or later: macOS's own make is 3.81.
ifneq ($(filter 3.7% 3.80 3.81,$(MAKE_VERSION)),)
$(error GNU make $(MAKE_VERSION) is too old, 3.82 or later is needed (macOS: brew install make, then gmake instead of make))
endif

.PHONY: up test matrix unit infra check hint solution practice console console-test destroy rebuild ssh-config deps check-deps reset-practice grade grade-class grade-catalogue grade-test diagnose

# The host's tools (host/test-deps.sh): the maintainers' (Debian packages, root),
# or only the checks' and the grader's .venv (no root; Linux, macOS, WSL 2).
deps:
	host/test-deps.sh

check-deps:
	host/test-deps.sh --checks

# The lab itself needs none of them: a student's Docker Desktop or VirtualBox
# host has Vagrant (and Docker), not apt.
up:
	host/lab-up.sh

ssh-config:
	host/lab-up.sh --ssh-config-only

# What the checks and the grader use: written again only when it is missing or a
# machine was made since (a Vagrant start costs seconds); make ssh-config forces it.
.vagrant/ssh-config: $(wildcard .vagrant/machines/*/*/id)
	host/lab-up.sh --ssh-config-only

unit: deps
	tests/run-unit.sh

# The lab suite (tests/run-infra.sh): the checks that only look, in parallel, then
# the disruptive ones one at a time. The diagnosis tests break machines on
# purpose: `make diagnose`, not here.
infra: deps ssh-config
	tests/run-infra.sh

# The exercise's checks (labtools/exercise: pytest with testinfra underneath), what
# a student runs while doing the tasks; its results in .vagrant/hbnb-lab/results/.
# EXERCISE, TASK, REBOOT and V come from the environment (make check TASK=3).
export EXERCISE TASK
exercise = .venv/bin/python -m labtools.exercise
check: check-deps .vagrant/ssh-config
	$(exercise) check $(if $(filter 1,$(REBOOT)),--reboot) $(if $(V),-v)

hint: check-deps
	$(exercise) hint

solution: check-deps .vagrant/ssh-config
	$(exercise) solution $(if $(filter 1,$(APPLY)),--apply) $(if $(MACHINE),--on $(MACHINE))

# The lab console (docs/console.md): one local page with the machines, the tasks'
# verdicts, hints, terminals and logs of the running lab; Ctrl-C stops it. Its
# packages go into .venv once (requirements-console.txt). The ssh-config is
# refreshed when the lab is up; when it is not, the page says what to run.
console: check-deps
	-@$(MAKE) --no-print-directory .vagrant/ssh-config 2>/dev/null
	source host/lab-lib.sh && want="console $$(lab_sha256 < requirements-console.txt)" && \
	  if [[ $$(cat .venv/.console.sha256 2>/dev/null) != "$$want" ]]; then \
	    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-console.txt && \
	    echo "$$want" > .venv/.console.sha256; \
	  fi
	.venv/bin/python -m labtools.console $(if $(PORT),--port $(PORT))

# A practice lab (LAB_MODE=practice make up) in an exercise's start state.
practice: check-deps .vagrant/ssh-config
	$(exercise) practice

# The grader on three practice labs beside this one (host/practice-labs.sh, labs
# 2-4; one submission at a time each): its catalogue of submissions, the lab's own
# files, and a fresh practice lab's suite. Three grade a class in 0.77x the time
# of two on 2 cores (bench/README.md, "Grading speed").
grade-test: deps
	labs=$$(host/practice-labs.sh up 4 | tail -n +2) && \
	  GRADE_LABS="$$labs" .venv/bin/python -m pytest -p no:cacheprovider tests/grading

# The console's tests (tests/console): its pages and security without a lab, then
# the console on practice lab 2 in a real browser (terminals, checks, hints, logs).
console-test: deps
	lab=$$(host/practice-labs.sh up 2 | tail -n 1) && \
	  CONSOLE_LAB="$$lab" .venv/bin/python -m pytest -p no:cacheprovider tests/console

test: unit up infra grade-test console-test

# The lab on Debian 11 and 13 (LXC; 13 in practice mode too) and on Docker, one
# after the other: each built, made, checked by the lab suite, destroyed; a table of
# timings (tests/run-matrix.sh; MATRIX="lxc:debian13 ..." picks the legs). Needs
# this folder's lab destroyed.
matrix: deps
	tests/run-matrix.sh

destroy:
	host/lab-destroy.sh
	host/practice-labs.sh destroy

rebuild: destroy up

# One machine from nothing in practice mode; the others are left as they are.
reset-practice:
	@[ -n "$(MACHINE)" ] || { echo "usage: make reset-practice MACHINE=web-02" >&2; exit 2; }
	host/reset-machine.sh $(MACHINE) practice
	host/lab-up.sh --ssh-config-only
	rm -f .vagrant/hbnb-lab/hints.json   # the hints taken are forgotten too

# Breaks the last web server in each way the exercise's spec warns about, checks
# the suite names the trap, repairs it (tests/infra/test_diagnoses.py).
diagnose: check-deps .vagrant/ssh-config
	tests/run-infra.sh diagnosis

# Grading (labtools/grade.py) on a practice lab: LAB_MODE=practice make rebuild.
grade: check-deps .vagrant/ssh-config
	@[ -n "$(SUBMISSION)" ] || { echo "usage: make grade SUBMISSION=folder" >&2; exit 2; }
	.venv/bin/python -m labtools.grade $(SUBMISSION)

# The packs' catalogues (exercises/*/cases): every case graded, its verdicts checked.
grade-catalogue: check-deps .vagrant/ssh-config
	labs=$$(host/practice-labs.sh up $(or $(LABS),1)) && \
	  GRADE_LABS="$$labs" .venv/bin/python -m pytest -p no:cacheprovider tests/grading

# LABS=N grades on N practice labs side by side (host/practice-labs.sh makes
# labs 2..N); SHARD=K/N grades the K-th share, for N machines or CI jobs.
grade-class: check-deps .vagrant/ssh-config
	@[ -n "$(CLASS)" ] || { echo "usage: make grade-class CLASS=folder [LABS=N] [SHARD=K/N]" >&2; exit 2; }
	labs=$$(host/practice-labs.sh up $(or $(LABS),1)) && \
	  .venv/bin/python -m labtools.grade --class $(CLASS) --shard $(or $(SHARD),1/1) $$(printf -- '--lab %s ' $$labs)
