"""At most a set number of PDF renders at once on one machine; the others wait their turn.

A render can take a few hundred megabytes and a CPU core for a minute: two overlapping
publishes once used 2.65 GB together. Each render holds one of `PDF_MAX_CONCURRENT_RENDERS`
slots, an exclusive lock on a small file in `PDF_RENDER_SLOTS_DIR`. File locks are released by
the kernel when a process dies, however it dies, so a crashed worker never keeps a slot, and
they work across every process on the machine (web workers, task workers, commands), which is
where the memory is shared.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.2


class NoRenderSlot(Exception):
    """Every slot stayed taken for as long as the caller was willing to wait."""


@contextmanager
def render_slot(*, folder: str | Path, slots: int, wait_seconds: float) -> Iterator[int]:
    """Hold one of `slots` render slots for the duration of the block (yields its number),
    waiting up to `wait_seconds` for one to come free; NoRenderSlot if none does."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        for number in range(max(1, slots)):
            handle = open(folder / f"slot-{number}.lock", "a+b")  # noqa: SIM115 - held below
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield number
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise NoRenderSlot(
                f"All {slots} PDF render slot{'s' if slots != 1 else ''} stayed busy for "
                f"{wait_seconds:g} seconds."
            )
        time.sleep(POLL_SECONDS)
