"""mdportal.W006 in process, for each storage and way of sending PDFs: clean only where the PDFs
leave by the front server (local files) or by signed links (private object storage), since
anything else is streamed through the app server. tests/test_deploy_check.py runs the same
check as an operator would, for the configurations the README documents."""

import os

import pytest

from mdportal.checks import pdf_delivery_fits_the_storage

if os.environ.get("MDPORTAL_REQUIRE_OBJECT_STORAGE") != "1":
    pytest.importorskip("boto3", reason="boto3 (the s3 or test extra) is not installed")

S3 = "storages.backends.s3.S3Storage"
LOCAL = "django.core.files.storage.FileSystemStorage"


def warnings_for(settings, mode, backend, **options):
    settings.AWS_STORAGE_BUCKET_NAME = "mdportal-pdfs"
    settings.AWS_S3_REGION_NAME = "eu-west-2"
    settings.PDF_SENDFILE = mode
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": backend, "OPTIONS": options},
    }
    return [warning.id for warning in pdf_delivery_fits_the_storage(None)]


@pytest.mark.parametrize(
    ("mode", "backend"),
    [
        ("signed-url", S3),
        ("none", LOCAL),
        ("x-accel-redirect", LOCAL),
        ("x-sendfile", LOCAL),
    ],
)
def test_pdfs_sent_by_something_other_than_the_app_server_pass(settings, mode, backend):
    assert warnings_for(settings, mode, backend) == []


@pytest.mark.parametrize(
    ("mode", "backend"),
    [
        # Object storage, streamed: as asked, or because it has no file on disk to hand over.
        ("none", S3),
        ("x-accel-redirect", S3),
        ("x-sendfile", S3),
        ("x-accel-redirect", "django.core.files.storage.InMemoryStorage"),
        # A media folder's links are public and never expire: streamed instead.
        ("signed-url", LOCAL),
    ],
)
def test_pdfs_that_would_be_streamed_from_where_they_are_warn(settings, mode, backend):
    assert warnings_for(settings, mode, backend) == ["mdportal.W006"]


@pytest.mark.parametrize(
    "options",
    [
        {"querystring_auth": False},
        {"custom_domain": "pdfs.example.nhs.uk"},
        {"default_acl": "public-read"},
    ],
    ids=["unsigned links", "custom domain", "public objects"],
)
def test_object_storage_without_private_signed_links_warns(settings, options):
    assert warnings_for(settings, "signed-url", S3, **options) == ["mdportal.W006"]


def test_the_warning_says_what_to_set(settings):
    settings.PDF_SENDFILE = "none"
    settings.AWS_STORAGE_BUCKET_NAME = "mdportal-pdfs"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": S3}}

    (warning,) = pdf_delivery_fits_the_storage(None)

    assert "S3Storage" in warning.msg and "streamed through the app server" in warning.msg
    assert "DJANGO_PDF_SENDFILE=signed-url" in warning.hint
