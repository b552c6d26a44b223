"""Render one PDF in a child process: `python -m induction.pdf.worker`, started by rendering.py.

A render of untrusted content runs here, not in the web or task-worker process, so that a time
limit can kill it cleanly (signal.alarm is not thread-safe; a killed child leaves nothing
behind) and an address-space limit can stop it from exhausting the server's memory.

Protocol: a JSON object on standard input (`html`, `fetcher`, `max_pages`, `max_memory_bytes`,
`pdf_identifier`). The PDF bytes go to standard output; standard error ends with one JSON line,
`{"pages": N, "refused": [urls]}` and exit status 0, or `{"error": "<plain reason>"}` and exit
status 3 when a limit is exceeded. Imports nothing from Django.
"""

import json
import logging
import resource
import sys

from weasyprint import HTML

from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher

# PDF/UA-1 implies a tagged PDF (structure tree, /MarkInfo) and PDF 1.7.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
LIMIT_EXCEEDED = 3


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


def _report(**fields) -> None:
    print(json.dumps(fields), file=sys.stderr)


def main() -> int:
    job = json.load(sys.stdin)
    memory = job["max_memory_bytes"]
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Refused URLs are reported through the fetcher; WeasyPrint's own warnings would only
    # repeat them, interleaved with the result line.
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
        _report(error=str(error))
        return LIMIT_EXCEEDED
    except MemoryError:
        _report(error="The PDF needed more memory than a render is allowed.")
        return LIMIT_EXCEEDED
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    _report(pages=pages, refused=fetcher.refused)
    return 0


if __name__ == "__main__":
    sys.exit(main())
