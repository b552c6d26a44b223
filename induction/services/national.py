"""A change of the national text taken up in a draft section, or declined.

Both are draft edits of the section like any other (from the revision the editor's page
showed), and both record the national revision the section now follows, so the same update is
not offered again. Which sections have an update to offer is worked out in
induction/baseline.py.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..baseline import NationalUpdate, national_updates
from ..models import AuditEvent, ChecklistItem, ResponsibilityOverlay, Section
from .sections import bump_revision, checklist_rows, raise_conflict


class NationalTextMovedOn(ValidationError):
    """The national text changed again after the editor was shown the update (or no longer
    differs from what the draft recorded): nothing was saved, and the page shows it afresh."""

    def __init__(self):
        super().__init__(
            "The national text changed again while you were looking at it, so nothing was "
            "saved. Check the update as it is now, then choose again."
        )


def _offered_update(
    section: Section, expected_revision: int, national_revision: str
) -> NationalUpdate:
    """The national update of `section` the editor was shown (by its revision), as it is now.

    The section is checked first: if it changed since the editor's page was loaded (another
    editor adopted or kept the update, or edited the section), that is an EditConflict.
    """
    section.refresh_from_db()
    if section.revision != expected_revision:
        raise_conflict(section)
    update = next(
        (u for u in national_updates(section.pack, [section]) if u.section.pk == section.pk),
        None,
    )
    if update is None or update.after.revision != national_revision:
        raise NationalTextMovedOn()
    return update


def _adopted_checklist(section: Section, update: NationalUpdate) -> list[dict[str, Any]]:
    """The section's steps with the national change applied: steps the national list gained
    are added at the end, steps it dropped are removed where the trust still has them as they
    were; every other step, the trust's own included, stays as it is, with its key."""
    before = {tuple(step) for step in update.before.get("checklist") or []}
    after = [tuple(step) for step in update.after.checklist]
    dropped = before - set(after)
    kept = [
        {"category": i.category, "text": i.text, "due_by_day": i.due_by_day, "key": i.key}
        for i in section.checklist.all()
        if (i.category, i.text, i.due_by_day) not in dropped
    ]
    present = {(row["category"], row["text"], row["due_by_day"]) for row in kept}
    gained = [step for step in after if step not in before and step not in present]
    return kept + [{"category": c, "text": t, "due_by_day": d} for c, t, d in gained]


def adopt_national_update(
    *, section: Section, user, expected_revision: int, national_revision: str
) -> Section:
    """Bring a section up to the national text of `national_revision` (the one the editor was
    shown), as one draft edit from `expected_revision`.

    The section's text becomes the national text; a checklist gains the national steps added
    and loses those withdrawn (see `_adopted_checklist`); a responsibilities section gains an
    overlay, held, for each new national responsibility. Everything else the trust wrote
    stays. Raises EditConflict if the section changed meanwhile, NationalTextMovedOn if the
    national text did; PermissionDenied unless the user may edit.
    """
    pack = section.pack
    pack.check_can_edit(user)
    update = _offered_update(section, expected_revision, national_revision)
    checklist = None
    if section.kind == Section.Kind.CHECKLIST:
        checklist = checklist_rows(section, _adopted_checklist(section, update))
    with transaction.atomic():
        bump_revision(
            section,
            user,
            expected_revision,
            body=update.after.body,
            national_revision=update.after.revision,
            national_basis=update.after.basis(),
        )
        if checklist is not None:
            section.checklist.all().delete()
            ChecklistItem.objects.bulk_create(checklist)
        if section.kind == Section.Kind.RESPONSIBILITIES:
            held = set(section.overlays.values_list("responsibility_id", flat=True))
            ResponsibilityOverlay.objects.bulk_create(
                ResponsibilityOverlay(section=section, responsibility=responsibility)
                for responsibility in pack.board_role.responsibilities.exclude(pk__in=held)
            )
        pack.record(
            user,
            AuditEvent.Action.SECTION_EDITED,
            f"Adopted the updated national text in “{section.title}”",
        )
    return section


def keep_local_text(
    *, section: Section, user, expected_revision: int, national_revision: str
) -> Section:
    """Decline a national update of a section: its text stays as it is, and the draft records
    that it was checked against the national text of `national_revision`, so the update is
    not offered again (a later national change is). A draft edit, because the version
    published next records that revision. Raises as `adopt_national_update` does."""
    pack = section.pack
    pack.check_can_edit(user)
    update = _offered_update(section, expected_revision, national_revision)
    with transaction.atomic():
        bump_revision(
            section,
            user,
            expected_revision,
            national_revision=update.after.revision,
            national_basis=update.after.basis(),
        )
        pack.record(
            user,
            AuditEvent.Action.SECTION_EDITED,
            f"Kept the trust's text of “{section.title}” instead of the updated national text",
        )
    return section
