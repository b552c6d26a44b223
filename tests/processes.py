"""Django programs run as separate processes on one SQLite file, for the tests of what
happens when two requests really overlap (SQLite's single writer, row locks, races)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_django(code: str, *args: str, database: Path) -> subprocess.Popen:
    """Start `code` (after `django.setup()`) in a new Python process with the production
    settings on the SQLite file `database`, tasks not run; `args` become its sys.argv[1:]."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="mdportal.settings",
        DJANGO_DEBUG="1",
        DJANGO_TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    )
    program = "import django; django.setup()\n" + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
