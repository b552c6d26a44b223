"""`check --deploy` is clean with production settings from the environment, and says so when
one of them is missing. Runs manage.py in a child process, as an operator would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "induction.example.nhs.uk",
    "DJANGO_SITE_URL": "https://induction.example.nhs.uk/",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "DJANGO_BEHIND_PROXY": "1",
    "DJANGO_TRUSTED_PROXIES": "10.0.0.5",
    # Only read at check time, never connected to.
    "DJANGO_REDIS_URL": "redis://127.0.0.1:6379/0",
}


def deploy_check(**overrides):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }
    environment.update(PRODUCTION, **overrides)
    environment["DJANGO_SETTINGS_MODULE"] = "mdportal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={name: value for name, value in environment.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "warning"),
    [
        ("DJANGO_SECRET_KEY", "security.W009"),
        ("DJANGO_SITE_URL", "mdportal.W001"),
        # Password reset links would go to the server's log (the console backend).
        ("DJANGO_EMAIL_BACKEND", "mdportal.W002"),
        # PDFs would render inside the publishing request (the immediate backend).
        ("DJANGO_TASKS_BACKEND", "mdportal.W003"),
        # Behind a proxy, every client would have the proxy's address.
        ("DJANGO_TRUSTED_PROXIES", "mdportal.W004"),
        # Each worker would keep its own cache: public pages could not be served from it.
        ("DJANGO_REDIS_URL", "mdportal.W005"),
    ],
)
def test_a_missing_production_setting_fails_the_deploy_check(missing, warning):
    result = deploy_check(**{missing: None})
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_debug_fails_the_deploy_check():
    result = deploy_check(DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_an_e_mail_backend_that_never_delivers_fails_the_deploy_check(backend):
    result = deploy_check(DJANGO_EMAIL_BACKEND=backend)
    assert result.returncode != 0
    assert "mdportal.W002" in result.stdout + result.stderr


def test_tasks_run_inside_requests_fail_the_deploy_check():
    result = deploy_check(DJANGO_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    assert result.returncode != 0
    assert "mdportal.W003" in result.stdout + result.stderr


def test_a_bad_trusted_proxy_stops_the_portal_with_a_message():
    result = deploy_check(DJANGO_TRUSTED_PROXIES="10.0.0.5,nginx")
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'nginx' is not an IP address or network" in result.stderr


@pytest.mark.parametrize("mode", ["x-accel-redirect", "x-sendfile"])
def test_pdfs_handed_to_the_front_server_pass_the_deploy_check(mode):
    result = deploy_check(DJANGO_PDF_SENDFILE=mode)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdfs_handed_over_from_object_storage_fail_the_deploy_check():
    """The front server reads the file from disk; object storage has none to give it."""
    result = deploy_check(
        DJANGO_PDF_SENDFILE="x-accel-redirect",
        DJANGO_DEFAULT_STORAGE="django.core.files.storage.InMemoryStorage",
    )
    assert result.returncode != 0
    assert "mdportal.W006" in result.stdout + result.stderr


def test_an_unknown_way_of_handing_over_pdfs_stops_the_portal_with_a_message():
    result = deploy_check(DJANGO_PDF_SENDFILE="nginx")
    assert result.returncode != 0
    assert (
        "DJANGO_PDF_SENDFILE: 'nginx' is not one of none, x-accel-redirect, x-sendfile, "
        "signed-url" in result.stderr
    )


# Object storage as the README configures it: read at check time, never connected to.
OBJECT_STORAGE = {
    "DJANGO_DEFAULT_STORAGE": "storages.backends.s3.S3Storage",
    "AWS_STORAGE_BUCKET_NAME": "mdportal-pdfs",
    "AWS_S3_REGION_NAME": "eu-west-2",
}


@pytest.fixture
def boto3_installed():
    """The S3 backend needs boto3 (the s3 and test extras); CI must not skip for want of it."""
    if os.environ.get("MDPORTAL_REQUIRE_OBJECT_STORAGE") != "1":
        pytest.importorskip("boto3", reason="boto3 (the s3 or test extra) is not installed")


def test_pdfs_from_object_storage_by_signed_link_pass_the_deploy_check(boto3_installed):
    result = deploy_check(DJANGO_PDF_SENDFILE="signed-url", **OBJECT_STORAGE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("mode", ["none", "x-accel-redirect"])
def test_pdfs_streamed_from_object_storage_fail_the_deploy_check(boto3_installed, mode):
    result = deploy_check(DJANGO_PDF_SENDFILE=mode, **OBJECT_STORAGE)
    assert result.returncode != 0
    assert "mdportal.W006" in result.stdout + result.stderr


def test_signed_links_to_local_files_fail_the_deploy_check():
    """A media folder gives no signed links: the PDFs would be streamed after all."""
    result = deploy_check(DJANGO_PDF_SENDFILE="signed-url")
    assert result.returncode != 0
    assert "mdportal.W006" in result.stdout + result.stderr


@pytest.mark.parametrize("seconds", ["0", "3601"])
def test_a_signed_link_lifetime_out_of_range_stops_the_portal_with_a_message(seconds):
    result = deploy_check(DJANGO_PDF_SIGNED_URL_SECONDS=seconds)
    assert result.returncode != 0
    assert f"DJANGO_PDF_SIGNED_URL_SECONDS: {seconds} is not from 1 to 3600 seconds" in (
        result.stderr
    )
