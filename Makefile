# Entry points of hbnb-lab.
#   make up       the three machines up and serving (sets up the host for LXC when
#                 neither VirtualBox nor libvirt is there)
#   make test     unit tests, the lab up, the testinfra suite against it, then the
#                 grader's tests on three practice labs beside it
#   make matrix   the lab on the other systems and providers in turn (CI runs it)
#   make check    the exercise's suite alone (earlier state, tasks 0-7) against the running lab
#   make destroy / rebuild / ssh-config
#   make reset-practice MACHINE=web-02   one machine rebuilt in practice mode
#   make grade SUBMISSION=folder         a student's six files graded on a practice lab
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

.PHONY: up test matrix unit infra check destroy rebuild ssh-config deps check-deps reset-practice grade grade-class grade-catalogue grade-test diagnose

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

unit: deps
	tests/run-unit.sh

# The lab suite (tests/run-infra.sh): the checks that only look, in parallel, then
# the disruptive ones one at a time. The diagnosis tests break machines on
# purpose: `make diagnose`, not here.
infra: deps ssh-config
	tests/run-infra.sh

# The exercise's suite (-m exercise: marked base or task0..task7), run the same
# way: what a student runs after doing the tasks by hand.
check: check-deps ssh-config
	tests/run-infra.sh exercise

# The grader on three practice labs beside this one (host/practice-labs.sh, labs
# 2-4; one submission at a time each): its catalogue of submissions, the lab's own
# files, and a fresh practice lab's suite. Three grade a class in 0.77x the time
# of two on 2 cores (bench/README.md, "Grading speed").
grade-test: deps
	labs=$$(host/practice-labs.sh up 4 | tail -n +2) && \
	  GRADE_LABS="$$labs" .venv/bin/python -m pytest -p no:cacheprovider tests/grading

test: unit up infra grade-test

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

# Breaks the last web server in each way the exercise's spec warns about, checks
# the suite names the trap, repairs it (tests/infra/test_diagnoses.py).
diagnose: check-deps ssh-config
	tests/run-infra.sh diagnosis

# Grading (labtools/grade.py) on a practice lab: LAB_MODE=practice make rebuild.
grade: check-deps ssh-config
	@[ -n "$(SUBMISSION)" ] || { echo "usage: make grade SUBMISSION=folder" >&2; exit 2; }
	.venv/bin/python -m labtools.grade $(SUBMISSION)

# The grader's catalogue (tests/grading/cases): every case graded, its verdicts checked.
grade-catalogue: check-deps ssh-config
	labs=$$(host/practice-labs.sh up $(or $(LABS),1)) && \
	  GRADE_LABS="$$labs" .venv/bin/python -m pytest -p no:cacheprovider tests/grading

# LABS=N grades on N practice labs side by side (host/practice-labs.sh makes
# labs 2..N); SHARD=K/N grades the K-th share, for N machines or CI jobs.
grade-class: check-deps ssh-config
	@[ -n "$(CLASS)" ] || { echo "usage: make grade-class CLASS=folder [LABS=N] [SHARD=K/N]" >&2; exit 2; }
	labs=$$(host/practice-labs.sh up $(or $(LABS),1)) && \
	  .venv/bin/python -m labtools.grade --class $(CLASS) --shard $(or $(SHARD),1/1) $$(printf -- '--lab %s ' $$labs)
