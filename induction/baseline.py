"""Create a trust's induction pack from the national baseline.

The pack starts as ten sections pre-filled from the national role model, so that a trust's HR
admin only adds what is local. This module gathers the national data (findings, relationships,
reporting lines) and numbers its citations as footnotes; every sentence of the prose is in a
Markdown template under templates/induction/baseline/.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string

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

__all__ = ["CHECKLIST_SUGGESTIONS", "create_pack_from_baseline"]

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


def _findings(kind: str, notes: _Footnotes) -> list[tuple[Finding, str]]:
    citations = Citation.objects.select_related("source")
    findings = Finding.objects.filter(kind=kind).prefetch_related(
        Prefetch("citations", queryset=citations)
    )
    return _cited(findings, notes)


def _trust_body(trust: Trust, role: Role) -> str:
    # A kind outside the choices can only come from bypassing validation; it reads "an an
    # trust", as it did before this module existed, so that moving the code changed no text.
    kind = Trust.Kind(trust.kind).label.lower() if trust.kind in Trust.Kind.values else "an"
    article = "an" if kind[:1] in "aeiou" else "a"
    return _render("trust.md", trust=trust, role=role, kind=kind, article=article)


def _role_body(role: Role) -> str:
    notes = _Footnotes()
    national = Responsibility.objects.filter(role=role).prefetch_related("citations__source")
    first = national.first()
    cite = notes.cite(first) if first else ""
    findings = _findings(Finding.Kind.RESPONSIBILITY_CONTEXT, notes)
    return _render("role.md", notes, role=role, cite=cite, findings=findings)


def _people_body(role: Role) -> str:
    notes = _Footnotes()
    reporting = (
        ReportingLine.objects.filter(from_role=role)
        .select_related("from_role", "to_role")
        .prefetch_related("citations__source")
    )
    return _render("people.md", notes, role=role, reporting_lines=_cited(reporting, notes))


def _board_body(role: Role) -> str:
    notes = _Footnotes()
    relationships = (
        Relationship.objects.filter(role=role)
        .select_related("other_role")
        .prefetch_related("citations__source", "good_practice__citations__source")
    )
    cited_relationships = [
        {
            # The template says "With the …": a name such as "The Board" would read twice.
            "other_role": relationship.other_role.name.removeprefix("The "),
            "summary": relationship.summary,
            "cite": notes.cite(relationship),
            "good_practice": _cited(relationship.good_practice.all(), notes),
        }
        for relationship in relationships
    ]
    return _render(
        "board.md",
        notes,
        role=role,
        relationships=cited_relationships,
        board_support=_findings(Finding.Kind.BOARD_SUPPORT, notes),
        ned_misreading=_findings(Finding.Kind.NED_MISREADING, notes),
    )


def _clinical_practice_body(role: Role) -> str:
    notes = _Footnotes()
    benefits = _findings(Finding.Kind.CLINICAL_PRACTICE_BENEFIT, notes)
    drawbacks = _findings(Finding.Kind.CLINICAL_PRACTICE_DRAWBACK, notes)
    return _render("clinical_practice.md", notes, role=role, benefits=benefits, drawbacks=drawbacks)


def _support_body(role: Role) -> str:
    notes = _Footnotes()
    transition = _findings(Finding.Kind.TRANSITION, notes)
    training = _findings(Finding.Kind.TRAINING, notes)
    career = _findings(Finding.Kind.CAREER, notes)
    succession = _findings(Finding.Kind.SUCCESSION, notes)
    return _render(
        "support.md",
        notes,
        role=role,
        transition=transition,
        training=training,
        career=career,
        succession=succession,
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
        specs = [
            ("Welcome", kinds.MARKDOWN, _render("welcome.md", trust=trust, role=role)),
            (f"About {trust.name}", kinds.MARKDOWN, _trust_body(trust, role)),
            (f"The {role.name} role here", kinds.RESPONSIBILITIES, _role_body(role)),
            ("Reporting lines and who is who", kinds.PEOPLE, _people_body(role)),
            ("Working with the board", kinds.MARKDOWN, _board_body(role)),
            ("Clinical practice arrangements", kinds.MARKDOWN, _clinical_practice_body(role)),
            ("Your first 100 days", kinds.CHECKLIST, _render("checklist_intro.md")),
            ("Support and development", kinds.MARKDOWN, _support_body(role)),
            ("Key documents and contacts", kinds.MARKDOWN, _render("documents.md", role=role)),
            ("Glossary", kinds.GLOSSARY, _render("glossary_intro.md")),
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
        pack.record(None, AuditEvent.Action.CREATED, "Created from the national baseline")
    return pack
