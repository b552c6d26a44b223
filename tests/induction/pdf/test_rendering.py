"""Each render runs in a child process under the configured limits: the HTML's size, time,
memory and (see test_storing) pages; the child is told which folders it may read."""

import json
from pathlib import Path

from induction.models import PackVersion
from induction.pdf.rendering import fetcher_config
from induction.pdf.storing import produce_version_pdf
from induction.pdf.url_fetcher import FetcherConfig


def test_a_render_over_the_time_limit_is_stopped(published, settings):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.05

    produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "took longer than the 0.05 second limit" in version.pdf_error


def test_oversized_html_is_refused_before_rendering(published, settings):
    settings.PDF_MAX_HTML_BYTES = 10_000

    produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "too large to make into a PDF" in version.pdf_error


def test_a_render_over_the_memory_limit_fails_cleanly(published, settings):
    settings.PDF_MAX_MEMORY_BYTES = 64 * 1024 * 1024

    outcome = produce_version_pdf(published.pk)

    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert version.pdf_error


def test_the_worker_is_told_the_sites_folders_and_size_limit(settings):
    settings.PDF_MAX_EMBEDDED_FILE_BYTES = 4096
    config = fetcher_config()

    # What the worker rebuilds from the job it reads on standard input.
    received = FetcherConfig.from_dict(json.loads(json.dumps(config.to_dict())))

    assert received == config
    assert received.max_file_bytes == 4096
    assert received.media_root == str(settings.MEDIA_ROOT)
    assert str(settings.STATIC_ROOT) in received.static_roots
    # Only the staticfiles folders and STATIC_ROOT: never "/" or any other folder.
    assert all(
        root == str(settings.STATIC_ROOT) or Path(root).name == "static"
        for root in received.static_roots
    )
