"""The Makefile: `make run` installs only what running needs and opts in to the demo data;
`make test` adds the test tools. Each install is redone when pyproject.toml changes.

Make runs in a copy of the Makefile and pyproject.toml, dry (`-n`) or with a stand-in for
`manage.py`, so no virtualenv is made and nothing is installed.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")

RUNTIME_INSTALL = ".venv/bin/pip install --quiet -e ."
TEST_INSTALL = '.venv/bin/pip install --quiet -e ".[test]"'


@pytest.fixture
def checkout(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def make(checkout, *arguments):
    """Make's output, in an environment that sets none of the variables the Makefile sets."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_DEBUG", "DJANGO_DEMO_DATA", "DJANGO_SITE_URL", "MAKEFLAGS"}
    }
    result = subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def existing_virtualenv(checkout, *, installed):
    """A stand-in .venv whose given install markers are newer than pyproject.toml."""
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "python").touch()
    older = (checkout / "pyproject.toml").stat().st_mtime - 60
    os.utime(checkout / "pyproject.toml", (older, older))
    for marker in installed:
        (checkout / ".venv" / marker).touch()


def test_make_run_installs_only_what_running_needs(checkout):
    commands = make(checkout, "-n", "run")
    assert RUNTIME_INSTALL in commands
    assert not [command for command in commands if "[test]" in command]


def test_make_test_installs_the_test_tools(checkout):
    commands = make(checkout, "-n", "test")
    assert TEST_INSTALL in commands
    assert ".venv/bin/pytest -n auto --dist loadfile" in commands


def test_make_test_runs_in_one_process_when_asked(checkout):
    assert ".venv/bin/pytest -n 0 --dist loadfile" in make(checkout, "-n", "test", "WORKERS=0")


def test_the_runtime_install_does_not_count_as_the_test_install(checkout):
    existing_virtualenv(checkout, installed=[".installed-run"])
    assert RUNTIME_INSTALL not in make(checkout, "-n", "run")
    assert TEST_INSTALL in make(checkout, "-n", "test")


@pytest.mark.parametrize("target, install", [("run", RUNTIME_INSTALL), ("test", TEST_INSTALL)])
def test_each_install_is_redone_when_pyproject_changes(checkout, target, install):
    existing_virtualenv(checkout, installed=[".installed-run", ".installed-test"])
    assert install not in make(checkout, "-n", target)
    (checkout / "pyproject.toml").touch()
    assert install in make(checkout, "-n", target)


@pytest.mark.parametrize("target", ["run", "setup"])
def test_make_run_and_setup_opt_in_to_the_demo_data(checkout, target):
    existing_virtualenv(checkout, installed=[".installed-run"])
    manage = checkout / "manage-stand-in"
    manage.write_text('#!/bin/sh\necho "manage.py $1 DJANGO_DEMO_DATA=$DJANGO_DEMO_DATA"\n')
    manage.chmod(0o755)
    output = make(checkout, target, f"MANAGE={manage}")
    assert "manage.py load_demo DJANGO_DEMO_DATA=1" in output


def test_make_test_leaves_the_demo_data_off(checkout):
    existing_virtualenv(checkout, installed=[".installed-test"])
    pytest_stand_in = checkout / ".venv" / "bin" / "pytest"
    pytest_stand_in.write_text('#!/bin/sh\necho "DJANGO_DEMO_DATA=$DJANGO_DEMO_DATA"\n')
    pytest_stand_in.chmod(0o755)
    assert "DJANGO_DEMO_DATA=" in make(checkout, "test")
