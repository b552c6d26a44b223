"""The warm PDF worker: a process that has imported WeasyPrint once and forks a child per job.

Started by warm_worker.py as `python -m induction.pdf.fork_server <fd>`, where `<fd>` is its end
of a control channel (a Unix socket pair) with the process that started it. Starting Python
and importing WeasyPrint took about half a second before every render, longer than forking:
here it is done once, followed by a small trusted render, so that fonts and style sheets are
loaded before the first job.

The server itself never reads a job. For each job the starter sends a fresh socket over the
control channel; the server forks, and the child (`_serve`) owns that socket alone: it sends
its process id, reads the job, runs it under its limits (worker.py) and sends back the result,
then exits. Each job therefore starts from the same warm, untouched state, and nothing one job
does (its memory, its limits, a crash) can reach the next. When the control channel closes,
because the starter exited however it exited, the server kills the children still running
and exits too.

Wire format on a job's socket: the child sends its pid (4 bytes, big-endian); the starter
sends the job as JSON and shuts down its writing side; the child answers with a JSON report
(4-byte length, then the JSON) followed by the PDF bytes, and closes. The report is the one
`worker.run_job` gives, or `{"crash": "<traceback>"}` for an unexpected error. Imports nothing
from Django.
"""

import json
import logging
import os
import signal
import socket
import sys
import traceback

from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher
from induction.pdf.warm_worker import LENGTH, READY
from induction.pdf.worker import render_pdf, run_job

WARM_UP_HTML = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Warm-up</title>'
    "<style>@page { @bottom-center { content: counter(page) } } h1 { bookmark-level: 1 }</style>"
    "</head><body><h1>Warm-up</h1><p>A trusted page rendered once before any job.</p>"
    "<table><tr><th>Column</th></tr><tr><td>Cell</td></tr></table></body></html>"
)


def warm_up() -> None:
    """Render a small trusted document, so that the first job does not pay for loading fonts."""
    fetcher = LocalOnlyFetcher(
        FetcherConfig(site_url="https://warm-up.invalid/", static_url="/static/",
                      static_roots=(), media_url="/media/", media_root="")
    )
    render_pdf(WARM_UP_HTML, fetcher, max_pages=1, pdf_identifier=b"warm-up")


def serve(control: socket.socket) -> None:
    """Fork a child for each job socket that arrives on `control`, until it closes."""
    children: set[int] = set()

    def reap(signum=None, frame=None):
        while children:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    control.sendall(READY)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 16, 1)
        if not message:
            break
        for fd in fds:
            # Held back until the child is counted, so that `reap` cannot miss it.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
            try:
                pid = os.fork()
            except OSError:
                pid = None  # the starter reads the end of the socket: "stopped unexpectedly"
            if pid == 0:
                _serve(fd, control)
            if pid is not None:
                children.add(pid)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _serve(fd: int, control: socket.socket) -> None:
    """The child: run the one job that arrives on socket `fd`, answer, exit. Never returns."""
    status = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        # Only the server may hold the control channel: its end tells the server the starter
        # is gone.
        control.close()
        with socket.socket(fileno=fd) as connection:
            connection.sendall(LENGTH.pack(os.getpid()))
            received = bytearray()
            while chunk := connection.recv(1 << 20):
                received += chunk
            if not received:
                return  # the starter gave up before sending the job
            try:
                report, pdf = run_job(json.loads(received))
            except Exception:
                report, pdf = {"crash": traceback.format_exc()}, b""
            del received
            encoded = json.dumps(report).encode("utf-8")
            connection.sendall(LENGTH.pack(len(encoded)) + encoded)
            connection.sendall(pdf)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    # Only the PDF's own report speaks for a job; WeasyPrint's warnings would repeat it.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    warm_up()
    serve(control)


if __name__ == "__main__":
    main()
