"""`manage.py render_pack_pdfs [--trust SLUG] [--missing-only]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from induction.models import PackVersion

from .pdf.support import make_pack, make_version


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def versions(db):
    northshire = make_version(make_pack(slug="northshire", ods_code="RX1"))
    southmoor = make_version(
        make_pack(slug="southmoor", ods_code="RX2", visibility="members"), number=1
    )
    return northshire, southmoor


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("render_pack_pdfs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def status(version):
    return PackVersion.objects.values_list("pdf_status", "pdf_sha256").get(pk=version.pk)


def test_renders_every_version_with_progress_output(versions):
    out, _ = run()

    assert "[1/2] northshire version 1: rendered" in out
    assert "[2/2] southmoor version 1: rendered" in out
    assert "2 of 2 PDFs ready." in out
    assert all(status(version)[0] == "ready" for version in versions)


def test_running_again_changes_nothing(versions, media_root):
    run()
    before = [status(version) for version in versions]
    files = sorted(media_root.rglob("*.pdf"))

    out, _ = run()

    assert [status(version) for version in versions] == before
    assert sorted(media_root.rglob("*.pdf")) == files
    assert out.count(": unchanged (") == 2


def test_only_one_trust(versions):
    northshire, southmoor = versions

    out, _ = run("--trust", "southmoor")

    assert "northshire" not in out
    assert status(southmoor)[0] == "ready"
    assert status(northshire)[0] == "pending"


def test_missing_only_skips_versions_that_are_ready(versions):
    northshire, southmoor = versions
    run("--trust", "northshire")

    out, _ = run("--missing-only")

    assert "[1/1] southmoor version 1: rendered" in out
    assert "northshire" not in out


def test_with_missing_only_and_every_pdf_ready_it_says_so(versions):
    run()

    out, _ = run("--missing-only")

    assert out.strip() == "Every published version already has its PDF."


def test_with_nothing_published_there_is_nothing_to_render(db):
    out, _ = run()

    assert out.strip() == "No published versions to render."


def test_an_unknown_trust_is_an_error(versions):
    with pytest.raises(CommandError, match='no trust with the slug "nowhere"'):
        run("--trust", "nowhere")


def test_failures_are_reported_and_make_the_command_fail(versions, settings):
    settings.PDF_MAX_PAGES = 1

    with pytest.raises(CommandError, match="0 of 2 PDFs ready. 2 failed."):
        call_command("render_pack_pdfs", stdout=io.StringIO(), stderr=io.StringIO())

    assert all(status(version)[0] == "failed" for version in versions)
