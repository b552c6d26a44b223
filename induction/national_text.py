"""The national baseline's text as it stands now: the ten sections a pack starts with.

A pack starts as ten sections pre-filled from the national role model, so that a trust's HR
admin only adds what is local. This module gathers the national data (findings, relationships,
reporting lines) and numbers its citations as footnotes; every sentence of the prose is in a
Markdown template under templates/induction/baseline/, and the suggested steps are in
induction/national_checklist.py. Each section has a revision, a hash of its content, so that
drafts can tell when the national text has moved on (induction/baseline.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.formats import date_format

from page_cache import generation, store
from roles.developments import Developments
from roles.models import Citation, Finding, Relationship, ReportingLine, Responsibility, Role

from .models import Section, Trust
from .national_checklist import NATIONAL_CHECKLIST
from .snapshot import citation_labels

__all__ = ["NationalSection", "national_sections", "revision_of"]

Cited = TypeVar("Cited")
# Kept sections are unreachable once anything changes; this bounds how long unused ones stay.
CACHE_SECONDS = 24 * 60 * 60


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


def national_sections(*, trust: Trust, role: Role) -> list[NationalSection]:
    """The national baseline as it stands now for this trust and board role: the ten sections
    a new pack starts with, in order.

    Built with a fixed number of queries, then kept in the cache under the content generation
    (page_cache/generation.py), which every change to the national data or the trust advances:
    the editor's pages ask on every load whether the national text has moved on, and it has
    not changed since the last time unless the generation has.
    """
    if trust.pk is None or role.pk is None:
        return _build(trust, role)
    key = f"national-sections:{store.code_version()}:{generation.current()}:{trust.pk}:{role.pk}"
    return cache.get_or_set(key, lambda: _build(trust, role), timeout=CACHE_SECONDS)


def _build(trust: Trust, role: Role) -> list[NationalSection]:
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
