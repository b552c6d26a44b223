"""Edits of the pack as a whole: its settings, and a published version restored into the draft.

Settings carry a revision of their own (`InductionPack.settings_revision`), so a stale
settings form is refused with what is there now (`SettingsConflict`).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..importing import replace_draft
from ..models import AuditEvent, InductionPack, PackVersion, PublishRefusal


class RuleRefused(PermissionDenied):
    """A change the pack's rules do not allow this user to make; the message says why."""


class SettingsConflict(Exception):
    """The pack's settings changed after the editor opened the settings form. `pack` is the
    pack as it is now, so the page can show both sides."""

    def __init__(self, pack: InductionPack):
        self.pack = pack
        super().__init__(
            "The pack's settings were changed while you were editing them. Your changes have "
            "not been saved: compare them with the current settings, then save again."
        )


# The fields of the pack that `update_pack_settings` may change.
SETTINGS_FIELDS = ("title", "visibility", "requires_approval", "review_interval_months")

_LIFTING_APPROVAL_REFUSALS = {
    PublishRefusal.NOT_APPROVER: "Only an approver can turn off approval by a second person.",
    PublishRefusal.EDITED_THE_DRAFT: (
        "Another approver must turn off approval by a second person, because you have "
        "edited this draft since the last version was published."
    ),
}


def _setting_words(pack: InductionPack, field: str) -> str:
    """A setting and its new value, for the audit trail ("who can read it: Members only")."""
    if field == "visibility":
        return f"who can read it: {pack.get_visibility_display().split(':')[0]}"
    if field == "requires_approval":
        return "approval by a second person: " + ("on" if pack.requires_approval else "off")
    return f"review interval: {pack.review_interval_months} months"


def update_pack_settings(
    *, pack: InductionPack, user, expected_revision: int, **changes: Any
) -> InductionPack:
    """Change the pack's title, visibility, approval rule or review interval, from a form
    loaded at settings revision `expected_revision`. Returns the pack as saved.

    Pass only the settings the user changed: the others are left as they are now. A stale
    form raises SettingsConflict. Turning the approval rule off needs an approver who edited
    nothing in the draft since the last publication (the four-eyes rule itself, which binds
    platform staff too); otherwise PermissionDenied. Nothing changes on any refusal.
    """
    pack.check_can_edit(user)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected settings: {', '.join(sorted(unknown))}")
    if isinstance(changes.get("title"), str):
        changes["title"] = changes["title"].strip()
    with transaction.atomic():
        locked = (
            InductionPack.objects.select_for_update()
            .select_related("trust", "board_role")
            .get(pk=pack.pk)
        )
        if locked.settings_revision != expected_revision:
            raise SettingsConflict(locked)
        changed = [field for field, value in changes.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        if locked.requires_approval and changes.get("requires_approval") is False:
            refusal = locked.second_person_refusal(user)
            if refusal is not None:
                raise RuleRefused(_LIFTING_APPROVAL_REFUSALS[refusal])
        for field in changed:
            setattr(locked, field, changes[field])
        locked.full_clean(exclude=["trust", "board_role", "last_edited_by"], validate_unique=False)
        locked.settings_revision += 1
        locked.save(update_fields=[*changed, "settings_revision"])
        if "title" in changed:
            # The title is part of what a version freezes, so it is a draft edit as well.
            locked.record(
                user, AuditEvent.Action.TITLE_CHANGED, f"Changed the title to “{locked.title}”"
            )
        others = [field for field in changed if field != "title"]
        if others:
            words = "; ".join(_setting_words(locked, field) for field in others)
            locked.record(user, AuditEvent.Action.SETTINGS_CHANGED, f"Changed {words}")
    return locked


def restore_version(
    *, version: PackVersion, user, expected_draft_revision: int | None = None
) -> None:
    """Copy a published version's content into the draft (the version itself is untouched).

    Responsibilities are matched to today's national list by slug: one the national list no
    longer has is left out, and one added since starts as held. `expected_draft_revision` is
    the draft revision the confirmation page was loaded with: a draft edited since raises
    `importing.DraftChangedSinceLoaded` (a ValidationError) and nothing is replaced.
    """
    pack = version.pack
    pack.check_can_edit(user)
    content = copy.deepcopy(version.content)
    national = set(pack.board_role.responsibilities.values_list("slug", flat=True))
    for section in content.get("sections", []):
        if isinstance(section.get("responsibilities"), list):
            section["responsibilities"] = [
                item for item in section["responsibilities"] if item.get("slug") in national
            ]
    replace_draft(
        pack,
        content,
        user=user,
        action=AuditEvent.Action.RESTORED,
        detail=f"Restored version {version.number} into the draft",
        version=version,
        expected_draft_revision=expected_draft_revision,
    )
