"""A pack's link to the national baseline: a pack made from it, and its drafts kept in step.

The national text (induction/national_text.py) changes (corrections, later developments),
while a pack's draft keeps the text it was made from. So a draft section records the key,
revision and content of the national section it was made from (`Section.baseline_key`,
`national_revision`, `national_basis`), and `national_updates` lists the sections whose
national text has moved on since, for editors to adopt or keep theirs
(induction/services/national.py). A published version records `draft_national_revision`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from roles.models import MEDICAL_DIRECTOR_SLUG, Role

from .models import AuditEvent, ChecklistItem, InductionPack, Section, Trust
from .national_text import NationalSection, national_sections, revision_of

__all__ = [
    "NationalUpdate",
    "basis_text",
    "carry_national_basis",
    "combined_revision",
    "create_pack_from_baseline",
    "draft_national_revision",
    "national_basis_by_title",
    "national_updates",
]


def basis_text(basis: Mapping[str, Any]) -> str:
    """National content as plain lines, for showing what changed between two revisions."""
    categories = dict(ChecklistItem.Category.choices)
    timings = dict(ChecklistItem.Timing.choices)
    lines = [basis.get("body", "")]
    for category, text, day in basis.get("checklist") or []:
        lines.append(
            f"Step ({timings.get(day, day)}, {categories.get(category, category)}): {text}"
        )
    for _slug, title, description in basis.get("responsibilities") or []:
        lines.append(f"Responsibility: {title}. {description}")
    return "\n".join(line for line in lines if line)


def combined_revision(revisions: Iterable[tuple[str, str]]) -> str:
    """One revision for several national sections, from their (key, revision) pairs."""
    return revision_of({"sections": sorted(revisions)}) if revisions else ""


def draft_national_revision(pack: InductionPack) -> str:
    """The revision of the national text the pack's draft was built from or brought up to date
    with: what a version published now records. Blank when no section follows the baseline."""
    pairs = [
        (key, revision)
        for key, revision in pack.sections.exclude(baseline_key="").values_list(
            "baseline_key", "national_revision"
        )
    ]
    return combined_revision(pairs)


@dataclass(frozen=True)
class NationalUpdate:
    """A draft section whose national text changed since the draft recorded it: `before` is
    the national content it was made from, `after` the national section now."""

    section: Section
    before: dict[str, Any]
    after: NationalSection

    @property
    def basis_unknown(self) -> bool:
        """The section was made before drafts recorded their national text (migration 0009):
        what changed cannot be shown, only the section beside today's national text."""
        return not self.before

    @property
    def edited_here(self) -> bool:
        """Whether the trust changed the section's text since the national text it recorded."""
        return self.section.body != self.before.get("body", "")


def national_updates(
    pack: InductionPack, sections: Iterable[Section] | None = None
) -> list[NationalUpdate]:
    """The pack's draft sections whose national text has moved on, in reading order.

    Only sections made from the baseline are compared (`baseline_key`); a trust's own
    sections never are. The national text is worked out only when some section follows it.
    """
    tracked = [s for s in (pack.sections.all() if sections is None else sections) if s.baseline_key]
    if not tracked:
        return []
    current = {n.key: n for n in national_sections(trust=pack.trust, role=pack.board_role)}
    return [
        NationalUpdate(section=s, before=s.national_basis or {}, after=current[s.baseline_key])
        for s in tracked
        if s.baseline_key in current and current[s.baseline_key].revision != s.national_revision
    ]


def national_basis_by_title(pack: InductionPack) -> dict[tuple[str, str], tuple[str, str, dict]]:
    """What each of the draft's baseline sections recorded, by (kind, title): read before a
    draft is replaced (import, restore), to carry over with `carry_national_basis`."""
    return {
        (kind, title): (key, revision, basis)
        for kind, title, key, revision, basis in pack.sections.exclude(baseline_key="").values_list(
            "kind", "title", "baseline_key", "national_revision", "national_basis"
        )
    }


def carry_national_basis(pack: InductionPack, recorded: Mapping[tuple[str, str], tuple]) -> None:
    """Give the sections of a replaced draft what the old sections of the same kind and title
    recorded about the national text, so that an import or a restore does not lose track of
    it. (A restored text may be older than what the draft recorded: its editors are then shown
    no update for it, as before the restore, and can compare versions in the history.)"""
    for section in pack.sections.all():
        found = recorded.get((section.kind, section.title))
        if found is not None:
            key, revision, basis = found
            Section.objects.filter(pk=section.pk).update(
                baseline_key=key, national_revision=revision, national_basis=basis
            )


def create_pack_from_baseline(
    *, trust: Trust, board_role: Role | None = None, title: str | None = None
) -> InductionPack:
    """Create a trust's pack from the national baseline: ten sections, pre-filled so that an
    HR admin only adds what is local, with the national text cited in footnotes.

    The sections: welcome; the trust; the role here (an overlay for every national
    responsibility, pre-filled as held); reporting lines and who is who; working with the
    board; clinical practice arrangements; the first 100 days (suggested checklist); support
    and development; key documents and contacts; glossary (the national terms).
    """
    role = board_role or Role.objects.get(slug=MEDICAL_DIRECTOR_SLUG)
    kinds = Section.Kind
    with transaction.atomic():
        pack = InductionPack.objects.create(
            trust=trust, board_role=role, title=title or f"{role.name} induction pack"
        )
        for order, national in enumerate(national_sections(trust=trust, role=role), start=1):
            section = Section.objects.create(
                pack=pack,
                kind=national.kind,
                title=national.title,
                body=national.body,
                order=order,
                baseline_key=national.key,
                national_revision=national.revision,
                national_basis=national.basis(),
            )
            if national.kind == kinds.RESPONSIBILITIES:
                section.add_national_overlays()
            elif national.kind == kinds.CHECKLIST:
                ChecklistItem.objects.bulk_create(
                    ChecklistItem(
                        section=section, category=category, text=text, due_by_day=day, order=n
                    )
                    for n, (category, text, day) in enumerate(national.checklist, start=1)
                )
        pack.record(None, AuditEvent.Action.CREATED, "Created from the national baseline")
    return pack
