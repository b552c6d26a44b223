"""`make run` prints e-mail in the server's output: the settings' default backend is the
console one, and the Makefile does not set another."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_without_configuration_e_mail_goes_to_the_console():
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }
    env["DJANGO_SETTINGS_MODULE"] = "mdportal.settings"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_make_run_sets_no_other_e_mail_backend():
    assert "EMAIL" not in (ROOT / "Makefile").read_text(encoding="utf-8")
