"""Render one PDF job under its limits: what each child of the warm worker does, once.

The warm worker (fork_server.py) forks a fresh child for every job, and the child calls
`run_job` and exits: a render of untrusted content never runs in the web or task-worker
process, and never in a process that another job has run in. In the child the limits are
the kernel's: an address-space limit (RLIMIT_AS) stops the render from exhausting the server's
memory, and a wall-clock timer whose SIGALRM ends the process stops it when its time is up
(the process that asked for the PDF also kills it then, see warm_worker.py). The page limit
is checked after layout.

A job is plain data: `html`, `fetcher` (a `FetcherConfig` as a dict), `max_pages`,
`max_memory_bytes`, `timeout_seconds` and `pdf_identifier`. Imports nothing from Django.
"""

import logging
import resource
import signal

from weasyprint import HTML

from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher

# PDF/UA-1 implies a tagged PDF (structure tree, /MarkInfo) and PDF 1.7.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# setitimer(0) would switch the timer off rather than end the render at once.
SHORTEST_TIMER_SECONDS = 0.001


class RenderLimitExceeded(Exception):
    """The document breaks one of the render's limits; the message says which, plainly."""


def render_pdf(html: str, fetcher: LocalOnlyFetcher, *, max_pages: int, pdf_identifier: bytes):
    """Lay out `html` and return `(pdf_bytes, page_count)`; refuse documents over `max_pages`."""
    document = HTML(
        string=html, base_url=fetcher.config.site_url, url_fetcher=fetcher
    ).render(**PDF_OPTIONS)
    if len(document.pages) > max_pages:
        raise RenderLimitExceeded(
            f"The PDF would have {len(document.pages)} pages; the limit is {max_pages}."
        )
    pdf = document.write_pdf(pdf_identifier=pdf_identifier, **PDF_OPTIONS)
    return pdf, len(document.pages)


def apply_limits(job: dict) -> None:
    """Limit this process, for good, to the job's memory and time. Only for a process that
    exists to run this one job: the limits cannot be lifted, and the timer ends the process."""
    memory = job["max_memory_bytes"]
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # No handler: SIGALRM's default action ends the process, even inside WeasyPrint's C code.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(
        signal.ITIMER_REAL, max(float(job["timeout_seconds"]), SHORTEST_TIMER_SECONDS)
    )


def run_job(job: dict) -> tuple[dict, bytes]:
    """Render `job` in this process, under its limits: `({"pages": N, "refused": [urls]}, pdf)`,
    or `({"error": "<plain reason>"}, b"")` when the document breaks a limit."""
    apply_limits(job)
    # Refused URLs are reported through the fetcher; WeasyPrint's own warnings would only
    # repeat them in the server log.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    fetcher = LocalOnlyFetcher(FetcherConfig.from_dict(job["fetcher"]))
    try:
        pdf, pages = render_pdf(
            job["html"],
            fetcher,
            max_pages=job["max_pages"],
            pdf_identifier=job["pdf_identifier"].encode("ascii"),
        )
    except RenderLimitExceeded as error:
        return {"error": str(error)}, b""
    except MemoryError:
        return {"error": "The PDF needed more memory than a render is allowed."}, b""
    return {"pages": pages, "refused": fetcher.refused}, pdf
