"""How `make audit` and the CI step run the dependency audit, and what CI makes of its exit
status: findings fail, an unanswered source is reported as NOT CHECKED and fails only when
MDPORTAL_REQUIRE_AUDIT=1.

The CI step runs as written in .ci/run, in a scratch folder whose `.venv/bin/python` is a
stand-in that exits with the status under test.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_audit_runs_the_audit_in_the_project_virtualenv_with_the_test_tools(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    environment = {key: value for key, value in os.environ.items() if key != "MAKEFLAGS"}
    commands = subprocess.run(
        ["make", "--no-print-directory", "-n", "audit"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert '.venv/bin/pip install --quiet -e ".[test]"' in commands
    assert commands[-1] == ".venv/bin/python security/audit.py"


def ci_audit_step():
    text = (ROOT / ".ci" / "run").read_text()
    match = re.search(r'^echo "== dependency audit"\n.*?(?=^echo "== |\Z)', text, re.M | re.S)
    assert match, ".ci/run has no dependency audit step"
    return match.group(0)


def run_ci_step(tmp_path, audit_exit, **environment):
    stand_in = tmp_path / ".venv" / "bin" / "python"
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text(f'#!/bin/sh\necho "audit ran: $1"\nexit {audit_exit}\n')
    stand_in.chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text("set -euo pipefail\n" + ci_audit_step() + 'echo "CI goes on"\n')
    env = {key: value for key, value in os.environ.items() if key != "MDPORTAL_REQUIRE_AUDIT"}
    return subprocess.run(
        ["bash", str(script)], cwd=tmp_path, env={**env, **environment},
        capture_output=True, text=True,
    )


def test_ci_runs_the_audit_after_the_deployment_check(tmp_path):
    text = (ROOT / ".ci" / "run").read_text()
    assert text.index('echo "== deployment check"') < text.index('echo "== dependency audit"')
    assert "audit ran: security/audit.py" in run_ci_step(tmp_path, 0).stdout


@pytest.mark.parametrize("audit_exit", [1, 2])
def test_findings_or_a_broken_audit_fail_ci(tmp_path, audit_exit):
    result = run_ci_step(tmp_path, audit_exit)
    assert result.returncode == audit_exit
    assert "CI goes on" not in result.stdout


def test_an_unanswered_source_is_reported_as_not_checked_and_ci_goes_on(tmp_path):
    result = run_ci_step(tmp_path, 3)
    assert result.returncode == 0
    assert "dependency audit: NOT CHECKED" in result.stdout
    assert "CI goes on" in result.stdout


def test_an_unanswered_source_fails_ci_where_the_audit_is_required(tmp_path):
    result = run_ci_step(tmp_path, 3, MDPORTAL_REQUIRE_AUDIT="1")
    assert result.returncode == 3
    assert "dependency audit: NOT CHECKED" in result.stdout


def test_a_clean_audit_is_not_reported_as_not_checked(tmp_path):
    result = run_ci_step(tmp_path, 0)
    assert result.returncode == 0
    assert "NOT CHECKED" not in result.stdout
