"""Downloading the stored PDF of a version: access as for reading, headers, conditional GET,
and an honest page while the PDF is not ready."""

import hashlib
import os
import subprocess
import sys
import textwrap

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from induction.models import InductionPack, PackVersion
from induction.pdf.handbook import download_filename
from induction.pdf.storing import produce_version_pdf

from .conftest import edit_draft

FAKE_PDF = b"%PDF-1.7\n% a stored file, served as it is\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_ready(version, content=FAKE_PDF):
    """Store `content` as the version's PDF, as the task would."""
    name = version.pdf.storage.save(f"packs/test/v{version.number}.pdf", ContentFile(content))
    PackVersion.objects.filter(pk=version.pk).update(
        pdf=name,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        pdf_status=PackVersion.PdfStatus.READY,
    )
    version.refresh_from_db()
    return version


def set_visibility(pack, visibility):
    InductionPack.objects.filter(pk=pack.pk).update(visibility=visibility)


def pdf_url(version):
    return reverse(
        "induction:version_pdf",
        kwargs={"slug": version.pack.trust.slug, "number": version.number},
    )


def latest_url(pack):
    return reverse("induction:latest_pdf", kwargs={"slug": pack.trust.slug})


def body(response):
    return b"".join(response.streaming_content)


# --- Access: the same as the reading view -----------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor", "outsider", "staff"])
def test_everyone_downloads_a_public_packs_pdf(client, request, published, who):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(pdf_url(published))

    assert response.status_code == 200
    assert body(response) == FAKE_PDF


@pytest.mark.parametrize("who", ["reader", "editor", "staff"])
def test_members_and_staff_download_a_members_only_pdf(client, request, published, who):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(request.getfixturevalue(who))

    for url in (pdf_url(published), latest_url(published.pack)):
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == FAKE_PDF


def test_anonymous_readers_of_a_members_only_pdf_are_sent_to_sign_in(client, published):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)

    for url in (pdf_url(published), latest_url(published.pack)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_members_of_another_trust_get_a_404(client, published, outsider):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(outsider)

    assert client.get(pdf_url(published)).status_code == 404
    assert client.get(latest_url(published.pack)).status_code == 404


def test_unknown_versions_and_trusts_are_404(client, published, staff):
    make_ready(published)
    client.force_login(staff)

    assert client.get(pdf_url(published).replace("v1.pdf", "v9.pdf")).status_code == 404
    assert client.get("/trusts/nowhere/induction/v1.pdf").status_code == 404
    assert client.get("/trusts/nowhere/induction/latest.pdf").status_code == 404


def test_latest_is_404_before_the_first_publication(client, pack, staff):
    client.force_login(staff)

    assert client.get(latest_url(pack)).status_code == 404


def test_only_safe_methods_are_allowed(client, published):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    assert client.post(pdf_url(published)).status_code == 405
    assert client.head(pdf_url(published)).status_code == 200


# --- Headers ----------------------------------------------------------------------------


def test_headers_of_a_public_version(client, published):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    response = client.get(pdf_url(version))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{download_filename(version)}"'
    )
    assert download_filename(version) == "testshire-medical-director-induction-pack-v1.pdf"
    assert response["ETag"] == f'"{version.pdf_sha256}"'
    # Revalidated with the ETag, so a switch to members-only is seen at once.
    assert response["Cache-Control"] == "public, no-cache"
    assert int(response["Content-Length"]) == len(FAKE_PDF)


def test_members_only_pdfs_are_only_cached_privately(client, published, reader):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    assert client.get(pdf_url(published))["Cache-Control"] == "private, no-cache"
    assert client.get(latest_url(published.pack))["Cache-Control"] == "private, no-cache"


def test_latest_serves_the_newest_version_and_may_move_on(
    client, published, editor_approver
):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)
    edit_draft(published.pack, editor_approver)
    second = make_ready(published.pack.publish(user=editor_approver), content=FAKE_PDF + b"2")

    response = client.get(latest_url(published.pack))

    assert body(response) == FAKE_PDF + b"2"
    assert response["ETag"] == f'"{second.pdf_sha256}"'
    assert "v2.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, no-cache"


def test_a_matching_if_none_match_answers_304(client, published):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)
    etag = f'"{version.pdf_sha256}"'

    response = client.get(pdf_url(version), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""
    other = client.get(pdf_url(version), headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_the_same_bytes_every_time(client, published):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    downloads = {hashlib.sha256(body(client.get(pdf_url(published)))).hexdigest() for _ in "abc"}

    assert downloads == {published.pdf_sha256}


def test_a_download_costs_a_fixed_number_of_queries(
    client, published, reader, django_assert_max_num_queries
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)
    client.force_login(reader)

    with django_assert_max_num_queries(6):
        body(client.get(pdf_url(published)))


# --- Not ready yet, or failed ----------------------------------------------------------


def test_a_pending_pdf_answers_503_with_a_page_saying_it_is_being_prepared(client, published):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)

    response = client.get(pdf_url(published))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The PDF of version 1 is being prepared" in page
    assert published.get_absolute_url() in page


def test_a_failed_pdf_page_says_so_and_shows_the_reason_to_editors_only(
    client, published, editor, reader, settings
):
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    settings.PDF_MAX_PAGES = 1
    produce_version_pdf(published.pk)

    client.force_login(reader)
    for_reader = client.get(pdf_url(published))
    client.force_login(editor)
    for_editor = client.get(pdf_url(published))

    for response in (for_reader, for_editor):
        assert response.status_code == 503
        assert "Retry-After" not in response
        assert "could not be made" in response.content.decode()
    assert "the limit is 1" not in for_reader.content.decode()
    assert "the limit is 1" in for_editor.content.decode()


def test_a_failed_pdf_never_breaks_the_reading_view(client, published, settings):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    settings.PDF_MAX_PAGES = 1
    produce_version_pdf(published.pk)

    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(published.pack.get_absolute_url()).status_code == 200


def test_publish_then_download_the_real_pdf(
    client, pack, editor_approver, django_capture_on_commit_callbacks
):
    set_visibility(pack, InductionPack.Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        version = pack.publish(user=editor_approver)
    version.refresh_from_db()

    response = client.get(pdf_url(version))

    assert response.status_code == 200
    downloaded = body(response)
    assert downloaded.startswith(b"%PDF-1.7")
    assert hashlib.sha256(downloaded).hexdigest() == version.pdf_sha256


def test_serving_stored_pdfs_never_loads_the_renderer(settings):
    """A web process that only serves stored files does not pay WeasyPrint's import time and
    memory: the whole site, the download views and the publishing receiver load without it."""
    script = textwrap.dedent(
        """
        import sys
        from django.urls import resolve, reverse
        from mdportal.wsgi import application
        resolve(reverse("induction:version_pdf", kwargs={"slug": "northshire", "number": 1}))
        resolve(reverse("induction:latest_pdf", kwargs={"slug": "northshire"}))
        print(sorted(name for name in sys.modules if name.split(".")[0] == "weasyprint"))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mdportal.test_settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


# --- Handed to the front server (X-Accel-Redirect, X-Sendfile) --------------------------

HANDOFF_HEADERS = ("X-Accel-Redirect", "X-Sendfile")


@pytest.fixture
def accel(settings):
    settings.PDF_SENDFILE = "x-accel-redirect"
    settings.PDF_ACCEL_REDIRECT_PREFIX = "/internal-media/"


def handoff_headers(response):
    return {name: response[name] for name in HANDOFF_HEADERS if name in response}


def test_without_a_front_server_the_file_is_streamed_and_nothing_handed_over(
    client, published, settings
):
    settings.PDF_SENDFILE = "none"
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    response = client.get(pdf_url(published))

    assert response.streaming
    assert body(response) == FAKE_PDF
    assert handoff_headers(response) == {}


def test_nginx_is_handed_the_file_under_its_internal_location_with_djangos_headers(
    client, published, accel
):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    response = client.get(pdf_url(version))

    assert response.status_code == 200
    assert handoff_headers(response) == {
        "X-Accel-Redirect": f"/internal-media/{version.pdf.name}"
    }
    assert version.pdf.name == "packs/test/v1.pdf"
    assert body(response) == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{download_filename(version)}"'
    )
    assert response["ETag"] == f'"{version.pdf_sha256}"'
    assert response["Cache-Control"] == "public, no-cache"


def test_every_anonymous_download_is_handed_over_never_replayed_from_the_page_cache(
    client, published, accel, settings
):
    """The handed-over answer has no body of its own: a copy kept by the page cache would be
    an empty download without the header that names the file."""
    assert settings.PAGE_CACHE_ENABLED
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    first, second = client.get(pdf_url(version)), client.get(pdf_url(version))

    for response in (first, second):
        assert response["X-Accel-Redirect"] == f"/internal-media/{version.pdf.name}"
        assert response["ETag"] == f'"{version.pdf_sha256}"'
        assert "X-Page-Cache" not in response


def test_the_internal_location_is_configurable(client, published, accel, settings):
    settings.PDF_ACCEL_REDIRECT_PREFIX = "/protected/pdfs/"
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    response = client.get(latest_url(published.pack))

    assert response["X-Accel-Redirect"] == f"/protected/pdfs/{version.pdf.name}"


def test_x_sendfile_names_the_file_on_disk_with_djangos_headers(
    client, published, reader, settings, media_root
):
    settings.PDF_SENDFILE = "x-sendfile"
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    version = make_ready(published)
    client.force_login(reader)

    response = client.get(pdf_url(version))

    assert response.status_code == 200
    assert handoff_headers(response) == {"X-Sendfile": str(media_root / version.pdf.name)}
    assert (media_root / version.pdf.name).read_bytes() == FAKE_PDF
    assert body(response) == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{download_filename(version)}"'
    )
    assert response["ETag"] == f'"{version.pdf_sha256}"'
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("mode", ["x-accel-redirect", "x-sendfile"])
def test_access_is_checked_before_anything_is_handed_over(
    client, published, outsider, settings, mode
):
    settings.PDF_SENDFILE = mode
    set_visibility(published.pack, InductionPack.Visibility.MEMBERS)
    make_ready(published)

    for url in (pdf_url(published), latest_url(published.pack)):
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert handoff_headers(anonymous) == {}
    client.force_login(outsider)
    for url in (pdf_url(published), latest_url(published.pack)):
        other_trust = client.get(url)
        assert other_trust.status_code == 404
        assert handoff_headers(other_trust) == {}


def test_a_matching_if_none_match_is_answered_without_handing_over(client, published, accel):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    version = make_ready(published)

    response = client.get(pdf_url(version), headers={"If-None-Match": f'"{version.pdf_sha256}"'})

    assert response.status_code == 304
    assert handoff_headers(response) == {}


def test_a_pdf_not_ready_or_missing_is_answered_without_handing_over(
    client, published, accel, media_root
):
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)

    pending = client.get(pdf_url(published))
    version = make_ready(published)
    (media_root / version.pdf.name).unlink()
    missing = client.get(pdf_url(version))

    assert pending.status_code == missing.status_code == 503
    assert handoff_headers(pending) == handoff_headers(missing) == {}
    assert "could not be made" in missing.content.decode()


def test_a_pdf_in_object_storage_is_streamed_whatever_the_mode(client, published, settings):
    """Object storage keeps no file on the front server's disk: nothing to hand over."""
    settings.PDF_SENDFILE = "x-accel-redirect"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    set_visibility(published.pack, InductionPack.Visibility.PUBLIC)
    make_ready(published)

    response = client.get(pdf_url(published))

    assert response.status_code == 200
    assert body(response) == FAKE_PDF
    assert handoff_headers(response) == {}
