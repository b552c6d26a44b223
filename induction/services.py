"""Edits of a pack's draft and settings: what views, the admin and commands call to change it.

Every function is keyword-only, checks that the user may edit the pack (PermissionDenied if
not), validates its input (ValidationError naming the field), and records the change through
`InductionPack.record` (audit entry, draft revision, last editor). Every edit carries the
revision its form was loaded with: a conditional UPDATE … WHERE revision = expected makes the
check race-free, and a stale one raises a conflict with what is there now, so the second of
two editors is told rather than silently overwriting.

Publishing lives in induction/publishing.py, importing in induction/importing.py, comparing
in induction/comparison.py, and the national baseline in induction/baseline.py.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils import timezone

from roles.models import (
    MEDICAL_DIRECTOR_SLUG,
    Citation,
    Finding,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
)

from .importing import replace_draft
from .markdown import validate_markdown
from .models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    PackVersion,
    PostHolder,
    PublishRefusal,
    ResponsibilityOverlay,
    Section,
    Trust,
)
from .snapshot import citation_labels

__all__ = [
    "SETTINGS_FIELDS",
    "EditConflict",
    "RuleRefused",
    "SettingsConflict",
    "add_section",
    "checklist_rows",
    "move_section",
    "overlays_with_changes",
    "post_holder_rows",
    "remove_section",
    "restore_version",
    "save_section",
    "update_pack_settings",
]


class EditConflict(Exception):
    """The section changed after the editor opened it. `section` is the current version of it
    (reloaded), so the form can show what is there now beside what the editor typed."""

    def __init__(self, section: Section):
        self.section = section
        super().__init__(
            f"“{section.title}” was changed while you were editing it. Your changes have not "
            "been saved: compare them with the current text, then save again."
        )


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


# --- helpers --------------------------------------------------------------------------------


def _bump_revision(section: Section, user, expected_revision: int, **fields) -> None:
    """Apply `fields` and bump the revision in one conditional UPDATE; EditConflict if the
    revision moved on."""
    now = timezone.now()
    updated = Section.objects.filter(pk=section.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=now, updated_by=user, **fields
    )
    if not updated:
        _raise_conflict(section)
    section.refresh_from_db(fields=["revision", "updated_at", "updated_by", *fields])


def _raise_conflict(section: Section):
    current = Section.objects.select_related("updated_by").filter(pk=section.pk).first()
    if current is None:
        raise ValidationError("This section has been removed by someone else.")
    raise EditConflict(current)


def _validate_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": "Enter a title for the section."})
    if len(title.strip()) > 200:
        raise ValidationError({"title": "Shorten the title to 200 characters or fewer."})
    return title.strip()


def _validate_body(body: Any) -> str:
    try:
        validate_markdown(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


# --- the lists within a section -------------------------------------------------------------
# Each turns what an editor typed into unsaved rows, validated by the models' own rules: the
# save below stores them, and the editor's preview shows them without saving.


def overlays_with_changes(
    section: Section, changes: Mapping[int, Mapping[str, str]]
) -> list[ResponsibilityOverlay]:
    """The section's overlays with `changes` ({overlay id: {"status", "delegated_to",
    "note"}}) applied in memory, validated, with their national text and citations loaded."""
    citations = Prefetch("responsibility__citations", Citation.objects.select_related("source"))
    overlays = list(
        section.overlays.select_related("responsibility").prefetch_related(citations)
    )
    by_id = {overlay.pk: overlay for overlay in overlays}
    errors = {}
    for overlay_id, values in changes.items():
        overlay = by_id.get(int(overlay_id))
        if overlay is None:
            raise ValidationError("That responsibility is not part of this section.")
        overlay.status = values.get("status", overlay.status)
        overlay.delegated_to = values.get("delegated_to", overlay.delegated_to) or ""
        overlay.note = values.get("note", overlay.note) or ""
        try:
            overlay.full_clean(exclude=["section", "responsibility"], validate_unique=False)
            validate_markdown(overlay.note)
        except ValidationError as error:
            title = overlay.responsibility.title
            errors[f"overlay-{overlay.pk}"] = [f"{title}: {m}" for m in error.messages]
    if errors:
        raise ValidationError(errors)
    return overlays


def _rows(section: Section, rows: list[Mapping[str, Any]], build) -> list:
    built, errors = [], {}
    for index, values in enumerate(rows, start=1):
        row = build(section, index, values)
        try:
            row.full_clean(exclude=["section"], validate_unique=False)
        except ValidationError as error:
            errors[f"item-{index}"] = [f"Row {index}: {m}" for m in error.messages]
        built.append(row)
    if errors:
        raise ValidationError(errors)
    return built


def post_holder_rows(section: Section, rows: list[Mapping[str, str]]) -> list[PostHolder]:
    """Unsaved, validated post-holders from rows as in the export format, in order."""

    def build(section, index, values):
        return PostHolder(
            section=section,
            name=(values.get("name") or "").strip(),
            title=(values.get("title") or "").strip(),
            relation=values.get("relation") or "",
            contact=(values.get("contact") or "").strip(),
            order=index,
        )

    return _rows(section, rows, build)


def checklist_rows(section: Section, rows: list[Mapping[str, Any]]) -> list[ChecklistItem]:
    """Unsaved, validated checklist steps from rows as in the export format, in order."""

    def build(section, index, values):
        return ChecklistItem(
            section=section,
            category=values.get("category") or "",
            text=(values.get("text") or "").strip(),
            due_by_day=values.get("due_by_day") or ChecklistItem.Timing.DAY_30,
            order=index,
        )

    return _rows(section, rows, build)


# --- sections -------------------------------------------------------------------------------


def save_section(
    *,
    section: Section,
    user,
    expected_revision: int,
    title: str | None = None,
    body: str | None = None,
    overlays: Mapping[int, Mapping[str, str]] | None = None,
    post_holders: list[Mapping[str, str]] | None = None,
    checklist: list[Mapping[str, Any]] | None = None,
) -> Section:
    """Save an edit of a section made from `expected_revision`, all in one revision.

    `overlays` maps overlay ids to `{"status", "delegated_to", "note"}`; `post_holders` and
    `checklist`, when given, replace the section's lists (dicts as in the export format).
    Raises EditConflict when the section has moved on, ValidationError for bad input; in
    either case nothing is saved.
    """
    pack = section.pack
    pack.check_can_edit(user)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _validate_title(title)
    if body is not None:
        changes["body"] = _validate_body(body)
    overlay_rows = overlays_with_changes(section, overlays) if overlays is not None else None
    holder_rows = post_holder_rows(section, post_holders) if post_holders is not None else None
    checklist_items = checklist_rows(section, checklist) if checklist is not None else None
    with transaction.atomic():
        _bump_revision(section, user, expected_revision, **changes)
        if overlay_rows is not None:
            ResponsibilityOverlay.objects.bulk_update(
                overlay_rows, ["status", "delegated_to", "note"]
            )
        if holder_rows is not None:
            section.post_holders.all().delete()
            PostHolder.objects.bulk_create(holder_rows)
        if checklist_items is not None:
            section.checklist.all().delete()
            ChecklistItem.objects.bulk_create(checklist_items)
        pack.record(user, AuditEvent.Action.SECTION_EDITED, f"Edited “{section.title}”")
    return section


def add_section(
    *,
    pack: InductionPack,
    user,
    title: str,
    kind: str = Section.Kind.MARKDOWN,
    body: str = "",
    position: int | None = None,
) -> Section:
    """Add a section at the end, or at 1-based `position`. A responsibilities section starts
    with every national responsibility of the pack's role, held by the role-holder."""
    pack.check_can_edit(user)
    title = _validate_title(title)
    body = _validate_body(body)
    if kind not in Section.Kind.values:
        raise ValidationError({"kind": "Choose what kind of section to add."})
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
        last = pack.sections.aggregate(highest=Max("order"))["highest"] or 0
        section = Section.objects.create(
            pack=pack, kind=kind, title=title, body=body, order=last + 1, updated_by=user
        )
        if kind == Section.Kind.RESPONSIBILITIES:
            section.add_national_overlays()
        if position is not None:
            ids = [s.pk for s in pack.sections.all() if s.pk != section.pk]
            ids.insert(max(0, position - 1), section.pk)
            _renumber(pack, ids)
        pack.record(user, AuditEvent.Action.SECTION_ADDED, f"Added “{title}”")
    section.refresh_from_db()
    return section


def remove_section(*, section: Section, user, expected_revision: int) -> None:
    """Remove a section from the draft (published versions keep their copy), unless it
    changed since the editor was asked to confirm (EditConflict)."""
    pack = section.pack
    pack.check_can_edit(user)
    with transaction.atomic():
        deleted, _ = Section.objects.filter(pk=section.pk, revision=expected_revision).delete()
        if not deleted:
            if not Section.objects.filter(pk=section.pk).exists():
                return  # someone else removed it first: what the editor asked for is done
            _raise_conflict(section)
        _renumber(pack, list(pack.sections.values_list("pk", flat=True)))
        pack.record(user, AuditEvent.Action.SECTION_REMOVED, f"Removed “{section.title}”")


def _renumber(pack: InductionPack, ordered_ids: list[int]) -> None:
    sections = {s.pk: s for s in pack.sections.all()}
    for order, pk in enumerate(ordered_ids, start=1):
        sections[pk].order = order
    Section.objects.bulk_update(sections.values(), ["order"])


def move_section(*, section: Section, user, direction: Literal["up", "down"]) -> None:
    """Move a section one place up or down; at either end it stays where it is."""
    pack = section.pack
    pack.check_can_edit(user)
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the section up or down.")
    with transaction.atomic():
        InductionPack.objects.select_for_update().filter(pk=pack.pk).first()
        ids = list(pack.sections.values_list("pk", flat=True))
        index = ids.index(section.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(ids):
            return
        ids[index], ids[target] = ids[target], ids[index]
        _renumber(pack, ids)
        pack.record(
            user, AuditEvent.Action.SECTIONS_REORDERED, f"Moved “{section.title}” {direction}"
        )


# --- the pack as a whole --------------------------------------------------------------------

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


def restore_version(*, version: PackVersion, user) -> None:
    """Copy a published version's content into the draft (the version itself is untouched).

    Responsibilities are matched to today's national list by slug: one the national list no
    longer has is left out, and one added since starts as held.
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
    )


# --- the national baseline ------------------------------------------------------------------


class _Footnotes:
    """Numbers the citations of one Markdown section as footnotes, each source line once."""

    def __init__(self):
        self.notes: list[str] = []

    def cite(self, cited) -> str:
        text = "; ".join(citation_labels(cited.citations.all()))
        if not text:
            return ""
        if text not in self.notes:
            self.notes.append(text)
        return f"[^{self.notes.index(text) + 1}]"

    def markdown(self) -> str:
        return "".join(f"\n[^{n}]: {text}" for n, text in enumerate(self.notes, start=1))


def _findings(*kinds: str) -> list[Finding]:
    citations = Citation.objects.select_related("source")
    return list(
        Finding.objects.filter(kind__in=kinds)
        .order_by("kind", "order")
        .prefetch_related(Prefetch("citations", queryset=citations))
    )


def _finding_lines(findings: list[Finding], notes: _Footnotes) -> list[str]:
    lines = []
    for finding in findings:
        statistic = f" ({finding.statistic})" if finding.statistic else ""
        lines.append(f"- **{finding.title}.** {finding.text}{statistic}{notes.cite(finding)}")
    return lines


def _welcome_body(trust: Trust, role: Role) -> str:
    return f"""Welcome to {trust.name}. This pack is for you as our new {role.name}: it sets \
out what the role involves here, who you will work with, and what we suggest for your first \
100 days.

The role of {role.name} varies a great deal between trusts, and research has found that \
board members, and {role.name}s themselves, are often unclear about what it covers \
here.[^1] This pack is our answer: it starts from the national picture and says, for each \
part of it, how things work in {trust.name}.

If anything in it is out of date or unclear, tell the company secretary, who keeps it up to \
date, so the next person benefits.

[^1]: GGI 3.1.4, 9.1.1
"""


def _trust_body(trust: Trust, role: Role) -> str:
    return f"""{trust.name} is {_kind_phrase(trust)} (ODS code {trust.ods_code}).

# Our services and sites

The services we run, where, and for which population. Add the main sites and the \
population the trust serves.

# How the trust is governed

The board meets in public and in private; its committees (for example quality, finance and \
performance, audit and risk, people) each have a non-executive chair. Add the dates and \
places of board and committee meetings, and which committees the {role.name} attends.

# Our priorities this year

Add the trust's strategic objectives and the top risks on the board assurance framework.
"""


def _kind_phrase(trust: Trust) -> str:
    label = Trust.Kind(trust.kind).label.lower() if trust.kind in Trust.Kind.values else "an"
    article = "an" if label[:1] in "aeiou" else "a"
    return f"{article} {label} trust"


def _role_body(role: Role, notes: _Footnotes) -> str:
    national = Responsibility.objects.filter(role=role).prefetch_related("citations__source")
    cited = notes.cite(national.first()) if national.exists() else ""
    findings = _finding_lines(_findings(Finding.Kind.RESPONSIBILITY_CONTEXT), notes)
    text = (
        f"Nationally, some responsibilities belong to the {role.name} in every trust, and "
        f"others are often delegated to another post.{cited} The table below lists each of "
        f"them and says whether the {role.name} holds it here, who holds it if it is "
        "delegated, and anything local to know."
    )
    if findings:
        text += "\n\n# What the research found\n\n" + "\n".join(findings)
    return text + "\n" + notes.markdown()


def _people_body(role: Role, notes: _Footnotes) -> str:
    lines = []
    reporting = (
        ReportingLine.objects.filter(from_role=role)
        .select_related("from_role", "to_role")
        .prefetch_related("citations__source")
    )
    for line in reporting:
        lines.append(
            f"- **{line.to_role.name}** ({line.get_kind_display().lower()}): "
            f"{line.description}{notes.cite(line)}"
        )
    text = (
        f"Who the {role.name} answers to, who answers to the {role.name}, and the people "
        "you will work with most. The list and the diagram below are local."
    )
    if lines:
        text += "\n\n# Nationally\n\n" + "\n".join(lines)
    return text + "\n" + notes.markdown()


def _board_body(role: Role, notes: _Footnotes) -> str:
    parts = [
        f"How the {role.name} works with the board and its members. The national picture "
        "is below; add how the board works here, for example which committees the "
        f"{role.name} attends and who their non-executive counterpart is.",
    ]
    relationships = (
        Relationship.objects.filter(role=role)
        .select_related("other_role")
        .prefetch_related("citations__source", "good_practice__citations__source")
    )
    for relationship in relationships:
        name = relationship.other_role.name
        with_whom = name[0].lower() + name[1:] if name.startswith("The ") else f"the {name}"
        section = [f"# With {with_whom}", ""]
        section.append(f"{relationship.summary}{notes.cite(relationship)}")
        points = [
            f"- {point.text}{notes.cite(point)}" for point in relationship.good_practice.all()
        ]
        if points:
            section += ["", "What good looks like:", "", *points]
        parts.append("\n".join(section))
    for kind, heading in [
        (Finding.Kind.BOARD_SUPPORT, "What Medical Directors value in a board"),
        (Finding.Kind.NED_MISREADING, "What non-executive directors tend to misread"),
    ]:
        lines = _finding_lines(_findings(kind), notes)
        if lines:
            parts.append(f"# {heading}\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n" + notes.markdown()


def _findings_body(intro: str, groups: list[tuple[str, str]], notes: _Footnotes, outro="") -> str:
    parts = [intro]
    for kind, heading in groups:
        lines = _finding_lines(_findings(kind), notes)
        if lines:
            parts.append(f"# {heading}\n\n" + "\n".join(lines))
    if outro:
        parts.append(outro)
    return "\n\n".join(parts) + "\n" + notes.markdown()


DOCUMENTS_BODY = """The documents a new {role} is asked about most in the first months. The \
company secretary's office holds the current version of each.

| Document | Why it matters |
|---|---|
| Standing orders, scheme of delegation and standing financial instructions | What the board \
has delegated, to whom, and the limits on spending and signing |
| Board assurance framework and corporate risk register | The risks to the trust's objectives \
and how the board is assured about them |
| The latest Care Quality Commission inspection report and action plan | Where the \
regulator found the trust good, and what it must improve |
| Quality account and the quality and safety strategy | The trust's quality priorities, \
which the {role} usually leads |
| Clinical strategy | The plan the {role} leads on forming and putting into practice |
| Responsible Officer policy and the revalidation report to the board | The statutory duty \
for doctors' revalidation, where the {role} holds it |
| Policy for handling concerns about doctors' practice | How disciplinary issues about \
doctors are handled, and by whom |
| Annual report and accounts | The trust's year in one document |

# Contacts

Add the company secretary, the {role}'s executive assistant, and the medical staffing, \
revalidation and clinical governance teams, with their e-mail addresses.
"""

CHECKLIST_SUGGESTIONS = [
    ("meet", "Meet the Chief Executive to agree your objectives for the first 100 days", 7),
    ("meet", "Meet the Chair of the trust", 7),
    (
        "read",
        "Read the standing orders, scheme of delegation and standing financial instructions",
        7,
    ),
    ("meet", "Meet the Director of Nursing to agree how you will share clinical leadership", 30),
    ("meet", "Visit each clinical division and meet its clinical director on their ground", 30),
    ("meet", "Meet the non-executive chair of the quality committee", 30),
    ("read", "Read the last six months of board and quality committee papers", 30),
    ("read", "Read the board assurance framework and the corporate risk register", 30),
    ("read", "Read the latest Care Quality Commission report and the action plan", 30),
    (
        "training",
        "Agree the handover of Responsible Officer duties with the regional "
        "higher-level Responsible Officer",
        30,
    ),
    ("meet", "Meet each non-executive director one to one", 60),
    (
        "meet",
        "Meet the chair of the local negotiating committee and the medical staff committee",
        60,
    ),
    ("meet", "Meet your counterparts in the integrated care board and neighbouring trusts", 60),
    ("training", "Agree a mentor or coach from outside the trust", 60),
    ("read", "Read the clinical strategy and the local system's plans", 60),
    (
        "training",
        "Agree a development plan, for example a national medical leadership "
        "programme, and the time for it",
        100,
    ),
    (
        "training",
        "Review your job plan, including any clinical sessions, with the Chief Executive",
        100,
    ),
    ("meet", "Join a regional peer network of medical directors", 100),
]


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
        specs = [
            ("Welcome", kinds.MARKDOWN, _welcome_body(trust, role)),
            (f"About {trust.name}", kinds.MARKDOWN, _trust_body(trust, role)),
            (f"The {role.name} role here", kinds.RESPONSIBILITIES, _role_body(role, _Footnotes())),
            ("Reporting lines and who is who", kinds.PEOPLE, _people_body(role, _Footnotes())),
            ("Working with the board", kinds.MARKDOWN, _board_body(role, _Footnotes())),
            (
                "Clinical practice arrangements",
                kinds.MARKDOWN,
                _findings_body(
                    f"Most {role.name}s keep some clinical practice. The national evidence on "
                    "the benefits and the drawbacks is below; the arrangements agreed here "
                    "follow it.",
                    [
                        (Finding.Kind.CLINICAL_PRACTICE_BENEFIT, "Benefits"),
                        (Finding.Kind.CLINICAL_PRACTICE_DRAWBACK, "Drawbacks"),
                    ],
                    _Footnotes(),
                    outro="# Here\n\nAdd the sessions agreed in the job plan, where they "
                    "take place, and how they are covered when board business clashes.",
                ),
            ),
            (
                "Your first 100 days",
                kinds.CHECKLIST,
                "A suggested plan for your first 100 days: people to meet, papers to read, "
                "and training to arrange. Agree it with the Chief Executive in your first "
                "week.",
            ),
            (
                "Support and development",
                kinds.MARKDOWN,
                _findings_body(
                    f"New {role.name}s value mentoring and coaching above all; established "
                    "ones look to the board, peer networks and action learning. What the "
                    "national evidence says:",
                    [
                        (Finding.Kind.TRANSITION, "The move into the role"),
                        (Finding.Kind.TRAINING, "Training and qualifications"),
                        (Finding.Kind.CAREER, "Career progression"),
                        (Finding.Kind.SUCCESSION, "Succession planning"),
                    ],
                    _Footnotes(),
                ),
            ),
            ("Key documents and contacts", kinds.MARKDOWN, DOCUMENTS_BODY.format(role=role.name)),
            (
                "Glossary",
                kinds.GLOSSARY,
                "The abbreviations and terms used in this pack and at board meetings.",
            ),
        ]
        for order, (section_title, kind, body) in enumerate(specs, start=1):
            section = Section.objects.create(
                pack=pack, kind=kind, title=section_title, body=body, order=order
            )
            if kind == kinds.RESPONSIBILITIES:
                section.add_national_overlays()
            elif kind == kinds.CHECKLIST:
                ChecklistItem.objects.bulk_create(
                    ChecklistItem(
                        section=section, category=category, text=text, due_by_day=day, order=n
                    )
                    for n, (category, text, day) in enumerate(CHECKLIST_SUGGESTIONS, start=1)
                )
        AuditEvent.objects.create(
            trust=trust,
            pack=pack,
            action=AuditEvent.Action.CREATED,
            detail="Created from the national baseline",
        )
    return pack
