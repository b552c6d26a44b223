"""At most PDF_MAX_CONCURRENT_RENDERS renders at once on a machine, across processes; a render
that finds no slot in time fails with a reason, and one that is interrupted never stays
"being prepared"."""

import subprocess
import sys
import textwrap

import pytest

from induction.models import AuditEvent, PackVersion
from induction.pdf.slots import NoRenderSlot, render_slot
from induction.pdf.storing import produce_version_pdf


def test_a_second_render_waits_for_the_only_slot_and_gives_up_after_the_wait(tmp_path):
    with render_slot(folder=tmp_path, slots=1, wait_seconds=0):
        with pytest.raises(NoRenderSlot, match="All 1 PDF render slot stayed busy"):
            with render_slot(folder=tmp_path, slots=1, wait_seconds=0.3):
                pass


def test_two_slots_let_two_renders_run_at_once_but_not_three(tmp_path):
    with render_slot(folder=tmp_path, slots=2, wait_seconds=0) as first:
        with render_slot(folder=tmp_path, slots=2, wait_seconds=0) as second:
            assert {first, second} == {0, 1}
            with pytest.raises(NoRenderSlot):
                with render_slot(folder=tmp_path, slots=2, wait_seconds=0):
                    pass


def test_a_slot_comes_free_when_the_render_ends(tmp_path):
    with render_slot(folder=tmp_path, slots=1, wait_seconds=0):
        pass
    with render_slot(folder=tmp_path, slots=1, wait_seconds=0) as number:
        assert number == 0


def test_a_slot_held_by_another_process_is_respected_and_freed_when_it_dies(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import fcntl, sys, time
                handle = open({str(tmp_path / "slot-0.lock")!r}, "a+b")
                fcntl.flock(handle, fcntl.LOCK_EX)
                print("held", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        with pytest.raises(NoRenderSlot):
            with render_slot(folder=tmp_path, slots=1, wait_seconds=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    with render_slot(folder=tmp_path, slots=1, wait_seconds=2) as number:
        assert number == 0


def test_a_render_that_finds_no_slot_fails_with_its_reason(published, settings, tmp_path):
    settings.PDF_RENDER_SLOTS_DIR = str(tmp_path / "slots")
    settings.PDF_MAX_CONCURRENT_RENDERS = 1
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0
    with render_slot(folder=settings.PDF_RENDER_SLOTS_DIR, slots=1, wait_seconds=0):
        outcome = produce_version_pdf(published.pk)
    version = PackVersion.objects.get(pk=published.pk)
    assert not outcome.ok
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "Too many PDFs were being made at the same time" in version.pdf_error
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PDF_FAILED).count() == 1


def test_an_interrupted_render_is_recorded_as_failed_and_the_interruption_goes_on(
    published, monkeypatch
):
    """A worker killed by its timeout raises SystemExit inside the render: the version says
    why instead of staying "being prepared" for ever."""

    def stopped(version):
        raise SystemExit(1)

    monkeypatch.setattr("induction.pdf.storing.render_version", stopped)
    with pytest.raises(SystemExit):
        produce_version_pdf(published.pk)
    version = PackVersion.objects.get(pk=published.pk)
    assert version.pdf_status == PackVersion.PdfStatus.FAILED
    assert "interrupted" in version.pdf_error
    assert AuditEvent.objects.get(action=AuditEvent.Action.PDF_FAILED).version_id == version.pk
