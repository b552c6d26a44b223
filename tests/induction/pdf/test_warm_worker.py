"""The warm worker: one server process that imported WeasyPrint once and forks a fresh child
for every job, which keeps the job's limits (time, memory, pages) and the URL fetcher's refusals,
and whose failures end as a failed PDF with a reason and leave the next job unharmed."""

import io
import os
import signal
import socket
import sys
from pathlib import Path

import pypdf
import pytest

from induction.models import PackVersion
from induction.pdf import warm_worker
from induction.pdf.rendering import (
    PdfRenderError,
    fetcher_config,
    render_html_to_pdf,
)
from induction.pdf.storing import produce_version_pdf

SMALL_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A page</title></head>'
    "<body><h1>One page</h1><p>Rendered by a child of the warm worker.</p></body></html>"
)


def job(html=SMALL_PAGE, **overrides):
    """A job as rendering.py builds it, with the test's settings."""
    return {
        "html": html,
        "fetcher": fetcher_config().to_dict(),
        "max_pages": 10,
        "max_memory_bytes": 0,
        "timeout_seconds": 60,
        "pdf_identifier": "0" * 32,
        **overrides,
    }


def stored_pdf(version_id):
    version = PackVersion.objects.get(pk=version_id)
    assert version.pdf_status == PackVersion.PdfStatus.READY, version.pdf_error
    with version.pdf.open("rb") as stored:
        return pypdf.PdfReader(io.BytesIO(stored.read()))


def test_a_published_version_is_rendered_to_a_real_pdf(published):
    outcome = produce_version_pdf(published.pk)

    assert outcome.ok, outcome.error
    reader = stored_pdf(published.pk)
    assert len(reader.pages) > 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert published.pack.trust.name in text


def test_each_job_runs_in_a_child_of_its_own_forked_from_one_warm_server():
    first = warm_worker.run_job(job(), timeout=60)
    second = warm_worker.run_job(job(), timeout=60)

    assert first.server_pid == second.server_pid == warm_worker.server_pid()
    assert first.pid != second.pid
    assert {first.pid, second.pid}.isdisjoint({first.server_pid, os.getpid()})
    for result in (first, second):
        assert result.report == {"pages": 1, "refused": []}
        assert len(pypdf.PdfReader(io.BytesIO(result.pdf)).pages) == 1


def test_a_job_over_the_time_limit_fails_with_its_reason_and_the_next_job_renders(
    published, settings
):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.05
    produce_version_pdf(published.pk)
    timed_out = PackVersion.objects.get(pk=published.pk)

    settings.PDF_RENDER_TIMEOUT_SECONDS = 120
    outcome = produce_version_pdf(published.pk)

    assert timed_out.pdf_status == PackVersion.PdfStatus.FAILED
    assert "took longer than the 0.05 second limit, so it was stopped" in timed_out.pdf_error
    assert outcome.ok, outcome.error
    assert len(stored_pdf(published.pk).pages) > 1


def ended(pid):
    """Whether process `pid` has ended (gone, or a zombie its parent has yet to reap)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def test_a_job_over_its_time_has_ended_before_the_time_limit_is_reported():
    """So the render slot is never given to the next job while the last one still runs."""
    server = warm_worker.server_pid()
    # About a thousand pages: far more than the time allows, which is ample to start the child.
    paragraphs = ("<p>" + "Many words. " * 150 + "</p>") * 3000
    endless = SMALL_PAGE.replace("</body>", paragraphs + "</body>")
    with pytest.raises(warm_worker.JobTimedOut) as timed_out:
        warm_worker.run_job(job(endless), timeout=5)

    assert timed_out.value.pid not in (0, server)
    assert ended(timed_out.value.pid)
    next_job = warm_worker.run_job(job(), timeout=60)
    assert next_job.report["pages"] == 1
    assert next_job.server_pid == server


def test_the_memory_limit_still_applies_and_the_next_job_renders(published, settings):
    settings.PDF_MAX_MEMORY_BYTES = 64 * 1024 * 1024
    refused = produce_version_pdf(published.pk)
    settings.PDF_MAX_MEMORY_BYTES = 2 * 1024**3
    outcome = produce_version_pdf(published.pk)

    assert not refused.ok
    assert "memory" in refused.error
    assert outcome.ok, outcome.error
    assert len(stored_pdf(published.pk).pages) > 1


def test_the_fetcher_refuses_network_addresses_inside_the_warm_worker(settings):
    """test_hostile_content tries every way WeasyPrint loads something; here, that the child
    of the warm worker still renders through the fetcher that never opens a connection."""
    settings.PDF_SITE_URL = "https://induction.example.nhs.uk/"
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        address = f"http://127.0.0.1:{listener.getsockname()[1]}"
        html = SMALL_PAGE.replace(
            "</head>", f'<link rel="stylesheet" href="{address}/style.css"></head>'
        ).replace("</body>", f'<img src="{address}/logo.png" alt="Logo"></body>')

        rendered = render_html_to_pdf(html, identifier="network")

        assert set(rendered.refused_urls) == {f"{address}/style.css", f"{address}/logo.png"}
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody ever connected
    assert rendered.content.startswith(b"%PDF-")


def test_a_child_that_fails_unexpectedly_is_reported_and_the_next_job_renders():
    broken = job()
    del broken["html"]

    crashed = warm_worker.run_job(broken, timeout=60)

    assert "KeyError: 'html'" in crashed.report["crash"]
    assert crashed.pdf == b""
    assert warm_worker.run_job(job(), timeout=60).report["pages"] == 1


def test_a_child_that_ends_without_a_report_fails_the_render_with_a_reason(monkeypatch):
    """What a child killed by the kernel (out of memory outside Python's reach) looks like."""
    monkeypatch.setattr(
        warm_worker, "run_job", lambda job, timeout: warm_worker.JobResult({}, b"", 12345, 1)
    )

    with pytest.raises(PdfRenderError, match="The PDF renderer stopped unexpectedly"):
        render_html_to_pdf(SMALL_PAGE, identifier="killed")


def test_a_warm_server_that_died_is_started_again_for_the_next_job():
    dead = warm_worker.server_pid()
    os.kill(dead, signal.SIGKILL)
    os.waitpid(dead, 0)

    rendered = render_html_to_pdf(SMALL_PAGE, identifier="after-a-crash")

    assert rendered.pages == 1
    assert warm_worker.server_pid() != dead


def test_a_warm_worker_that_cannot_start_fails_the_render_with_a_reason(monkeypatch):
    warm_worker.stop()
    monkeypatch.setattr(sys, "executable", "/bin/false")

    with pytest.raises(PdfRenderError, match="The PDF renderer could not be started"):
        render_html_to_pdf(SMALL_PAGE, identifier="no worker")
