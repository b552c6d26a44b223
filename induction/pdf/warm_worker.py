"""Hand a PDF job to the warm worker and hold it to its time limit: the side of the process that
wants the PDF (rendering.py calls `run_job`).

The warm worker is a fork server (fork_server.py says how it works) that this module starts on
the first job a process asks for and keeps for the life of the process, so that Python and
WeasyPrint start once rather than once a render. A server that has died, or one inherited
from a parent process, is replaced by a new one on the next job. When this process exits the
server follows (it watches the control channel), killing any render still running.

A job that outlives its time is killed here; the child also ends itself by its own timer
(worker.py), should this process be gone. Imports nothing from Django, so that tests and the
benchmark can drive it directly; rendering.py builds the job from the settings.
"""

import atexit
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The wire format, described in fork_server.py. Defined here, where nothing loads WeasyPrint:
# a process that serves stored PDFs imports this module without paying for the renderer.
READY = b"ready"
LENGTH = struct.Struct("!I")
# Starting Python and importing WeasyPrint takes about half a second on a quiet machine.
START_TIMEOUT_SECONDS = 60
# A killed child is gone within milliseconds; this only bounds the wait if the kernel is slow.
KILL_WAIT_SECONDS = 10
CHUNK = 1 << 20


class WorkerUnavailable(Exception):
    """The warm worker could not be started."""


class JobTimedOut(Exception):
    """The job did not finish within its time; its child (`pid`, 0 if it had not started) was
    killed, and has ended, so the render slot it held can be given to the next job."""

    def __init__(self, message: str, *, pid: int = 0):
        super().__init__(message)
        self.pid = pid


@dataclass(frozen=True)
class JobResult:
    """What came back: the child's report (`{}` if it ended without one: killed, or out of
    memory outside Python's reach), the PDF bytes, and which processes ran it."""

    report: dict
    pdf: bytes
    pid: int
    server_pid: int


class _Server:
    """One running fork server and its control channel."""

    def __init__(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "induction.pdf.fork_server", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                # Not in the terminal's process group: Ctrl-C in `make run` stops runserver,
                # whose exit closes the channel and so ends the warm worker and its renders.
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.control = ours
        self.owner = os.getpid()
        self.send_lock = threading.Lock()
        ours.settimeout(START_TIMEOUT_SECONDS)
        try:
            ready = ours.recv(len(READY))
        except OSError:
            ready = b""
        if ready != READY:
            self.stop()
            raise WorkerUnavailable(
                f"The PDF worker was not ready within {START_TIMEOUT_SECONDS} seconds, or "
                f"exited before (exit status {self.process.returncode})."
            )
        ours.settimeout(None)

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def submit(self) -> socket.socket:
        """A socket to a newly forked child of the server, for one job."""
        ours, theirs = socket.socketpair()
        try:
            with self.send_lock:
                socket.send_fds(self.control, [b"job"], [theirs.fileno()])
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        return ours

    def stop(self) -> None:
        self.control.close()
        if self.owner != os.getpid():
            return  # a parent's server, inherited by fork: not this process's to stop
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_lock = threading.Lock()
_server: _Server | None = None


def _running_server(*, replace: bool = False) -> _Server:
    global _server
    with _lock:
        if _server is not None and (replace or not _server.alive()):
            _server.stop()
            _server = None
        if _server is None:
            _server = _Server()
        return _server


@atexit.register
def stop() -> None:
    """Stop this process's warm worker, if it has one (it is started again when needed)."""
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


def server_pid() -> int:
    """The process id of this process's warm worker, starting it if need be."""
    return _running_server().process.pid


class _Child:
    """The child running a job. It is the server's child, not ours: once it has exited the
    server reaps it and its pid may name another process, so it is killed through a pidfd,
    which names the process itself (os.kill by pid only where pidfds are missing)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.gone = False
        try:
            self.pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            self.pidfd, self.gone = None, True
        except (AttributeError, OSError):
            self.pidfd = None

    def kill(self) -> None:
        """Kill the child and, where a pidfd allows, wait until it has ended."""
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
                # A pidfd becomes readable when its process has ended.
                select.select([self.pidfd], [], [], KILL_WAIT_SECONDS)
            elif not self.gone:
                os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _receive(connection: socket.socket, deadline: float, size: int | None = None) -> bytes:
    """Up to `size` bytes (all until the end if None), by the deadline (TimeoutError)."""
    received = bytearray()
    while size is None or len(received) < size:
        connection.settimeout(_remaining(deadline))
        try:
            chunk = connection.recv(CHUNK if size is None else size - len(received))
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            break
        received += chunk
    return bytes(received)


def run_job(job: dict, *, timeout: float) -> JobResult:
    """Run `job` (see worker.py) in a fresh child of the warm worker; JobTimedOut if it takes
    longer than `timeout` seconds from now, WorkerUnavailable if the worker cannot start."""
    deadline = time.monotonic() + timeout
    server = _running_server()
    try:
        connection = server.submit()
    except OSError:
        # The server ended since the last job (killed, or out of memory): start it again.
        server = _running_server(replace=True)
        connection = server.submit()
    child = None
    with connection:
        try:
            header = _receive(connection, deadline, LENGTH.size)
            if len(header) < LENGTH.size:
                return JobResult({}, b"", 0, server.process.pid)
            child = _Child(LENGTH.unpack(header)[0])
            connection.settimeout(_remaining(deadline))
            try:
                connection.sendall(json.dumps(job).encode("utf-8"))
                connection.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the child is gone; what it said, if anything, is read below
            answer = _receive(connection, deadline)
        except TimeoutError as error:
            if child is not None:
                child.kill()
            raise JobTimedOut(
                f"The job took longer than {timeout} seconds.", pid=child.pid if child else 0
            ) from error
        finally:
            if child is not None:
                child.close()
    return JobResult(*_parse(answer), pid=child.pid, server_pid=server.process.pid)


def _parse(answer: bytes) -> tuple[dict, bytes]:
    if len(answer) < LENGTH.size:
        return {}, b""
    (length,) = LENGTH.unpack(answer[: LENGTH.size])
    end = LENGTH.size + length
    if len(answer) < end:
        return {}, b""
    return json.loads(answer[LENGTH.size : end]), answer[end:]
