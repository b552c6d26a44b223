"""The national baseline of a trust's induction pack, and its revisions.

A pack starts as ten sections pre-filled from the national role model, so that a trust's HR
admin only adds what is local. This module gathers the national data (findings, relationships,
reporting lines) and numbers its citations as footnotes; every sentence of the prose is in a
Markdown template under templates/induction/baseline/.

The national text changes (corrections, later developments), while a pack's draft keeps the
text it was made from. So each national section has a revision, a hash of its content; a
draft section records the key, revision and content of the national section it was made from
(`Section.baseline_key`, `national_revision`, `national_basis`), and `national_updates` lists
the sections whose national text has moved on since, for editors to adopt or keep theirs
(induction/services.py). A published version records `draft_national_revision`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.formats import date_format

from roles.developments import Developments
from roles.models import (
    MEDICAL_DIRECTOR_SLUG,
    Citation,
    Finding,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
)

from .models import AuditEvent, ChecklistItem, InductionPack, Section, Trust
from .snapshot import citation_labels

__all__ = [
    "BOARD_MEMBER_OBLIGATIONS",
    "CHECKLIST_SUGGESTIONS",
    "NationalSection",
    "NationalUpdate",
    "basis_text",
    "carry_national_basis",
    "create_pack_from_baseline",
    "draft_national_revision",
    "national_basis_by_title",
    "national_sections",
    "national_updates",
]

Cited = TypeVar("Cited")

# (category, step, due by day) for the first 100 days and the reviews at three and six months;
# an HR admin edits them in the pack.
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
    # The reviews NHS guidance on board induction builds in: at three and at six months.
    (
        "meet",
        "Review your first three months with the Chief Executive and the Chair: what has "
        "worked, what to change, and your objectives for the next three",
        91,
    ),
    (
        "training",
        "Hold your six-month review with the Chief Executive: progress against your "
        "objectives, your development plan and your first appraisal as Medical Director",
        182,
    ),
]

# What every board member must do, whatever the trust: as checklist steps the inductee ticks.
# The portal records that a step was done and when, never the answers, declarations or
# assessments themselves, so each step says so. Sources (checked 30 November 2026) are in
# templates/induction/baseline/checklist_intro.md.
BOARD_MEMBER_OBLIGATIONS = [
    (
        "obligations",
        "Fit and proper person test: give the trust what it needs for your assessment and "
        "board reference, and complete your self-attestation (repeated every year). The "
        "portal records only that this is done, never your answers or documents.",
        7,
    ),
    (
        "obligations",
        "Declare your interests, or that you have none, for the register of board members' "
        "interests, and declare any that touches an item at the start of a meeting. The "
        "portal records only that this is done, not what you declared.",
        7,
    ),
    (
        "obligations",
        "Read and sign the trust's code of conduct for board members. The portal records "
        "only that this is done.",
        7,
    ),
    (
        "obligations",
        "Assess yourself against the six domains of the NHS leadership competency framework "
        "for board members, and use it to agree your objectives and development with the "
        "Chief Executive. The portal records only that this is done, never the assessment.",
        100,
    ),
    (
        "obligations",
        "Review your objectives with the Chief Executive at mid-year, towards your annual "
        "board member appraisal, which covers the six competency domains and feedback from "
        "colleagues. The portal records only that the review took place.",
        182,
    ),
]

# Every step the national baseline suggests, in order.
NATIONAL_CHECKLIST = CHECKLIST_SUGGESTIONS + BOARD_MEMBER_OBLIGATIONS


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


def _render(template: str, notes: _Footnotes | None = None, **context: Any) -> str:
    """The text of templates/induction/baseline/<template>, with `footnotes` in its context
    when the section cites anything (call it after every citation is numbered).

    Each template wraps its text in {% autoescape off %}: it writes Markdown, not HTML, and the
    Markdown sanitiser escapes the section when the pack is shown; escaping here as well would
    put "St Mary&#x27;s" in the editor for "St Mary's". The newline ending the file is not part
    of the text, so "{% endautoescape %}" on a line of its own means the text ends with one.
    Django keeps every other newline, so a tag ends a line whose newline it governs: the
    "{% if … %}" before a heading carries the blank line above it.
    """
    if notes is not None:
        context["footnotes"] = notes.markdown()
    return render_to_string(f"induction/baseline/{template}", context).removesuffix("\n")


def _cited(items: Iterable[Cited], notes: _Footnotes) -> list[tuple[Cited, str]]:
    """Each item with its footnote mark ("[^2]", or "" if it cites nothing), in order."""
    return [(item, notes.cite(item)) for item in items]


def _citations(lookup: str = "citations") -> Prefetch:
    """Prefetch the citations with their sources in one query."""
    return Prefetch(lookup, queryset=Citation.objects.select_related("source"))


class _NationalData:
    """The national findings, read once (two queries) for every section that cites them."""

    KINDS = (
        Finding.Kind.RESPONSIBILITY_CONTEXT,
        Finding.Kind.BOARD_SUPPORT,
        Finding.Kind.NED_MISREADING,
        Finding.Kind.CLINICAL_PRACTICE_BENEFIT,
        Finding.Kind.CLINICAL_PRACTICE_DRAWBACK,
        Finding.Kind.TRANSITION,
        Finding.Kind.TRAINING,
        Finding.Kind.CAREER,
        Finding.Kind.SUCCESSION,
    )

    def __init__(self):
        findings = Finding.objects.filter(kind__in=self.KINDS).prefetch_related(_citations())
        self.by_kind: dict[str, list[Finding]] = {}
        for finding in findings:
            self.by_kind.setdefault(finding.kind, []).append(finding)
        # What has changed since 2017 travels with each finding into the pack (one query).
        self.developments = Developments.load()

    def findings(self, kind: str, notes: _Footnotes) -> list[tuple[Finding, str, str]]:
        """Each finding of `kind` with its footnote mark and its "changed since 2017" notes."""
        return [
            (finding, cite, self.changes(finding))
            for finding, cite in _cited(self.by_kind.get(kind, []), notes)
        ]

    def changes(self, statement) -> str:
        """The statement's later-development notes as Markdown to follow its text in the same
        line: what changed, when, and the source with the date it was checked."""
        return "".join(
            f" *{change.get_kind_display()}{f' ({change.when})' if change.when else ''}: "
            f"{change.title}.* Source: [{change.source_title}]({change.source_url}), "
            f"{change.source_publisher}, checked {date_format(change.checked_on, 'j F Y')}."
            for change in self.developments.for_statement(statement)
        )


def _trust_body(trust: Trust, role: Role) -> str:
    # A kind outside the choices can only come from bypassing validation; it reads "an an
    # trust", as it did before this module existed, so that moving the code changed no text.
    kind = Trust.Kind(trust.kind).label.lower() if trust.kind in Trust.Kind.values else "an"
    article = "an" if kind[:1] in "aeiou" else "a"
    return _render("trust.md", trust=trust, role=role, kind=kind, article=article)


def _role_body(role: Role, data: _NationalData, national: list[Responsibility]) -> str:
    notes = _Footnotes()
    # The opening sentence describes the paper's kinds, so it cites the first of them, not
    # whichever responsibility sorts first (a later duty, which cites nothing).
    from_the_paper = [r for r in national if r.kind == Responsibility.Kind.CORE]
    first = min(from_the_paper, key=lambda r: r.order, default=None)
    cite = notes.cite(first) if first else ""
    findings = data.findings(Finding.Kind.RESPONSIBILITY_CONTEXT, notes)
    return _render("role.md", notes, role=role, cite=cite, findings=findings)


def _people_body(role: Role, data: _NationalData) -> str:
    notes = _Footnotes()
    reporting = (
        ReportingLine.objects.filter(from_role=role)
        .select_related("from_role", "to_role")
        .prefetch_related(_citations())
    )
    lines = [(line, cite, data.changes(line)) for line, cite in _cited(reporting, notes)]
    return _render("people.md", notes, role=role, reporting_lines=lines)


def _board_body(role: Role, data: _NationalData) -> str:
    notes = _Footnotes()
    relationships = (
        Relationship.objects.filter(role=role)
        .select_related("other_role")
        .prefetch_related(_citations(), "good_practice", _citations("good_practice__citations"))
    )
    cited_relationships = [
        {
            # The template says "With the …": a name such as "The Board" would read twice.
            "other_role": relationship.other_role.name.removeprefix("The "),
            "summary": relationship.summary,
            "cite": notes.cite(relationship),
            "changes": data.changes(relationship),
            "good_practice": _cited(relationship.good_practice.all(), notes),
        }
        for relationship in relationships
    ]
    return _render(
        "board.md",
        notes,
        role=role,
        relationships=cited_relationships,
        board_support=data.findings(Finding.Kind.BOARD_SUPPORT, notes),
        ned_misreading=data.findings(Finding.Kind.NED_MISREADING, notes),
    )


def _clinical_practice_body(role: Role, data: _NationalData) -> str:
    notes = _Footnotes()
    benefits = data.findings(Finding.Kind.CLINICAL_PRACTICE_BENEFIT, notes)
    drawbacks = data.findings(Finding.Kind.CLINICAL_PRACTICE_DRAWBACK, notes)
    return _render("clinical_practice.md", notes, role=role, benefits=benefits, drawbacks=drawbacks)


def _support_body(role: Role, data: _NationalData) -> str:
    notes = _Footnotes()
    transition = data.findings(Finding.Kind.TRANSITION, notes)
    training = data.findings(Finding.Kind.TRAINING, notes)
    career = data.findings(Finding.Kind.CAREER, notes)
    succession = data.findings(Finding.Kind.SUCCESSION, notes)
    return _render(
        "support.md",
        notes,
        role=role,
        transition=transition,
        training=training,
        career=career,
        succession=succession,
    )


def revision_of(basis: Mapping[str, Any]) -> str:
    """The revision of a piece of national text: a hash of its content, so that any change to
    the text (a corrected finding, a new step, a reworded responsibility) gives a new one."""
    canonical = json.dumps(basis, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class NationalSection:
    """One section of the national baseline as it stands now, for one trust and board role.

    `key` names it across revisions ("board", "checklist"…); `basis()` is the content a draft
    section records, and `revision` its hash. The title is left out of both: a trust may
    rename a section without it counting as a national change.
    """

    key: str
    title: str
    kind: str
    body: str
    checklist: tuple[tuple[str, str, int], ...] = ()
    # (slug, title, description) of each national responsibility of the board role
    responsibilities: tuple[tuple[str, str, str], ...] = ()

    def basis(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "checklist": [list(step) for step in self.checklist],
            "responsibilities": [list(item) for item in self.responsibilities],
        }

    @property
    def revision(self) -> str:
        return revision_of(self.basis())


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


def national_sections(*, trust: Trust, role: Role) -> list[NationalSection]:
    """The national baseline as it stands now for this trust and board role: the ten sections
    a new pack starts with, in order. A fixed number of queries."""
    kinds = Section.Kind
    data = _NationalData()
    national = list(Responsibility.objects.filter(role=role).prefetch_related(_citations()))
    return [
        NationalSection(
            "welcome", "Welcome", kinds.MARKDOWN, _render("welcome.md", trust=trust, role=role)
        ),
        NationalSection("trust", f"About {trust.name}", kinds.MARKDOWN, _trust_body(trust, role)),
        NationalSection(
            "role",
            f"The {role.name} role here",
            kinds.RESPONSIBILITIES,
            _role_body(role, data, national),
            responsibilities=tuple((r.slug, r.title, r.description) for r in national),
        ),
        NationalSection(
            "people", "Reporting lines and who is who", kinds.PEOPLE, _people_body(role, data)
        ),
        NationalSection("board", "Working with the board", kinds.MARKDOWN, _board_body(role, data)),
        NationalSection(
            "clinical_practice",
            "Clinical practice arrangements",
            kinds.MARKDOWN,
            _clinical_practice_body(role, data),
        ),
        NationalSection(
            "checklist",
            "Your first 100 days",
            kinds.CHECKLIST,
            _render("checklist_intro.md"),
            checklist=tuple(NATIONAL_CHECKLIST),
        ),
        NationalSection(
            "support", "Support and development", kinds.MARKDOWN, _support_body(role, data)
        ),
        NationalSection(
            "documents",
            "Key documents and contacts",
            kinds.MARKDOWN,
            _render("documents.md", role=role),
        ),
        NationalSection("glossary", "Glossary", kinds.GLOSSARY, _render("glossary_intro.md")),
    ]


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
