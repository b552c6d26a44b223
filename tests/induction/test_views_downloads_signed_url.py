"""Downloads from object storage by signed link: the permission check stays Django's, then a
reader who may read the pack is redirected to a short-lived link the store signed for that
file, which no cache keeps; nobody else ever sees a link.

The store is real: moto's S3 server on this machine, spoken to over HTTP by django-storages and
boto3 as a production store would be. The tests skip only where moto is not installed, never
with MDPORTAL_REQUIRE_OBJECT_STORAGE=1 (CI sets it; the test extra installs moto).
"""

import hashlib
import io
import os
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from induction.models import InductionPack
from induction.pdf.handbook import download_filename

from .test_views_downloads import FAKE_PDF, body, latest_url, make_ready, pdf_url, set_visibility

if os.environ.get("MDPORTAL_REQUIRE_OBJECT_STORAGE") == "1":
    from moto.server import ThreadedMotoServer
else:
    ThreadedMotoServer = pytest.importorskip(
        "moto.server", reason="moto[server] (the test extra) is not installed"
    ).ThreadedMotoServer

import boto3  # noqa: E402  (after the skip: moto brings it)

REGION = "eu-west-2"
ACCESS_KEY, SECRET_KEY = "test-access-key", "test-secret-key"


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of an S3-compatible server on a free local port, for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    """A new, private bucket (S3's default) for one test."""
    name = f"pdfs-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def use_object_storage(settings, s3_endpoint, bucket, **options):
    """Keep files in `bucket`, configured through the settings the environment fills."""
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_S3_ACCESS_KEY_ID = ACCESS_KEY
    settings.AWS_S3_SECRET_ACCESS_KEY = SECRET_KEY
    # Last: changing STORAGES makes the default storage anew, with the settings above.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }


@pytest.fixture
def object_storage(settings, s3_endpoint, bucket):
    use_object_storage(settings, s3_endpoint, bucket)
    settings.PDF_SENDFILE = "signed-url"
    settings.PDF_SIGNED_URL_SECONDS = 60
    return f"{s3_endpoint}/{bucket}/"


def fetch(url):
    """GET `url` as a browser following the redirect would: (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.headers, refusal.read()


def signed_link(response, object_storage):
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith(object_storage)
    return link


def gave_no_link(response):
    return "X-Amz-Signature" not in response.get("Location", "")


# --- A reader who may read the pack ------------------------------------------------------


def test_a_member_is_redirected_to_a_signed_link_that_returns_the_handbook(
    client, pack, editor_approver, reader, object_storage, django_capture_on_commit_callbacks
):
    set_visibility(pack, InductionPack.Visibility.MEMBERS)
    # Published and rendered as in production: the PDF task stores the file in the bucket.
    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=editor_approver)
    version.refresh_from_db()
    assert version.pdf_status == version.PdfStatus.READY, version.pdf_error
    client.force_login(reader)

    response = client.get(pdf_url(version))

    link = signed_link(response, object_storage)
    status, headers, downloaded = fetch(link)
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        f'attachment; filename="{download_filename(version)}"'
    )
    assert hashlib.sha256(downloaded).hexdigest() == version.pdf_sha256
    handbook = pypdf.PdfReader(io.BytesIO(downloaded))
    sections = version.content["sections"]
    assert [item["/Title"] for item in handbook.outline] == [s["title"] for s in sections]
    cover = handbook.pages[0].extract_text()
    assert pack.trust.name in cover and "Version 1" in cover


def test_the_signed_link_expires_after_the_configured_time(
    client, published, reader, object_storage, settings
):
    settings.PDF_SIGNED_URL_SECONDS = 45
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    query = parse_qs(urlsplit(signed_link(client.get(pdf_url(published)), object_storage)).query)

    assert query["X-Amz-Expires"] == ["45"]
    assert query["X-Amz-Signature"]


def test_no_cache_keeps_the_redirect_or_the_file(client, published, reader, object_storage):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    response = client.get(pdf_url(published))

    assert response["Cache-Control"] == "private, no-store"
    # The ETag is the file's; a redirect carrying it could be taken for the file.
    assert "ETag" not in response
    _, headers, _ = fetch(signed_link(response, object_storage))
    assert headers["Cache-Control"] == "private, no-store"


def test_the_files_plain_address_is_refused(client, published, reader, object_storage):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    link = signed_link(client.get(pdf_url(published)), object_storage)
    status, _, content = fetch(link.split("?")[0])

    assert status == 403
    assert FAKE_PDF not in content


def test_the_latest_pdf_is_redirected_to_its_signed_link_too(
    client, published, reader, object_storage
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    link = signed_link(client.get(latest_url(published.pack)), object_storage)

    assert fetch(link)[2] == FAKE_PDF


def test_a_signed_link_costs_no_more_queries_than_streaming(
    client, published, reader, object_storage, django_assert_max_num_queries
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    with django_assert_max_num_queries(6):
        response = client.get(pdf_url(published))

    signed_link(response, object_storage)


# --- Everyone else: the refusal, and no link ----------------------------------------------


def test_anonymous_visitors_and_other_trusts_get_the_refusal_and_no_link(
    client, published, outsider, object_storage
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    urls = (pdf_url(published), latest_url(published.pack))

    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("login"))
        assert gave_no_link(anonymous)
    client.force_login(outsider)
    for url in urls:
        other_trust = client.get(url)
        assert other_trust.status_code == 404
        assert gave_no_link(other_trust)


def test_a_public_packs_pdf_is_a_fresh_signed_link_for_everyone_never_a_kept_page(
    client, published, object_storage, settings
):
    assert settings.PAGE_CACHE_ENABLED
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    first, second = client.get(pdf_url(published)), client.get(pdf_url(published))

    for response in (first, second):
        assert fetch(signed_link(response, object_storage))[2] == FAKE_PDF
        assert response["Cache-Control"] == "private, no-store"
        assert "X-Page-Cache" not in response


def test_a_matching_if_none_match_is_answered_without_a_link(client, published, object_storage):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    response = client.get(pdf_url(version), headers={"If-None-Match": f'"{version.pdf_sha256}"'})

    assert response.status_code == 304
    assert gave_no_link(response)


def test_a_pdf_missing_from_the_bucket_gets_the_honest_page_and_no_link(
    client, published, object_storage
):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)
    default_storage.delete(version.pdf.name)

    response = client.get(pdf_url(version))

    assert response.status_code == 503
    assert gave_no_link(response)
    assert "could not be made" in response.content.decode()


# --- A storage that gives no private, expiring links: streamed ---------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"querystring_auth": False},
        {"custom_domain": "pdfs.example.nhs.uk"},
        {"default_acl": "public-read"},
    ],
    ids=["unsigned links", "custom domain", "public objects"],
)
def test_object_storage_without_private_signed_links_streams_the_file(
    client, published, settings, s3_endpoint, bucket, options
):
    use_object_storage(settings, s3_endpoint, bucket, **options)
    settings.PDF_SENDFILE = "signed-url"
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    response = client.get(pdf_url(published))

    assert response.status_code == 200
    assert body(response) == FAKE_PDF


def test_local_files_are_streamed_when_signed_links_are_asked_for(
    client, published, settings, tmp_path
):
    """A media folder's links are public and never expire: never given for a PDF."""
    settings.PDF_SENDFILE = "signed-url"
    settings.MEDIA_ROOT = tmp_path / "media"
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    response = client.get(pdf_url(published))

    assert response.status_code == 200
    assert body(response) == FAKE_PDF
