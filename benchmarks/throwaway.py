"""Point Django at a throwaway SQLite database and media folder before a benchmark sets it up,
so no benchmark touches db.sqlite3 or media/. Call `set_up()` before `django.setup()`."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def set_up() -> Path:
    """The scratch folder (the caller removes it when done), with the environment set."""
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="mdportal-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mdportal.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    return workdir
