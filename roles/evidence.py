"""How the paper's findings are split into the pages of the guide.

The parts follow the paper's own sections (3 background, 5 effectiveness, 6 the MD and others,
7 training and careers, 8 barriers, 9 recommendations). Findings of a kind that belongs to no
part, such as how the research was done, are shown on the overview page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Finding

Kind = Finding.Kind


@dataclass(frozen=True)
class EvidencePart:
    """One page of findings: its address, its heading and the kinds of finding it holds."""

    slug: str
    title: str
    kinds: tuple[str, ...]
    description: str

    def get_absolute_url(self) -> str:
        return reverse("roles:evidence_part", kwargs={"part": self.slug})


PARTS = [
    EvidencePart(
        "background",
        "Background to the role",
        (Kind.BACKGROUND, Kind.ROUTE_INTO_ROLE, Kind.RESPONSIBILITY_CONTEXT),
        "What the role is, why it matters, how it is seen, who becomes a Medical Director "
        "and what the work involves in practice.",
    ),
    EvidencePart(
        "effectiveness",
        "What makes a Medical Director effective",
        (
            Kind.CLINICAL_PRACTICE_BENEFIT,
            Kind.CLINICAL_PRACTICE_DRAWBACK,
            Kind.QUALITY,
            Kind.MANAGEMENT_APPROACH,
            Kind.EFFECTIVENESS,
        ),
        "Keeping clinical practice, qualities and behaviours, and the management approaches "
        "Medical Directors rate most highly.",
    ),
    EvidencePart(
        "board-and-clinical-body",
        "The board and the clinical body",
        (Kind.BOARD_SUPPORT, Kind.NED_MISREADING, Kind.CLINICAL_BODY),
        "What Medical Directors value in a board, what non-executive directors tend to "
        "misread, and the relationship with the trust's doctors.",
    ),
    EvidencePart(
        "training-and-careers",
        "Training, careers and succession",
        (Kind.TRAINING, Kind.CAREER, Kind.SUCCESSION),
        "How Medical Directors prepare for the role, where they go next, and how trusts "
        "find and develop successors.",
    ),
    EvidencePart(
        "barriers-and-challenges",
        "Barriers and challenges",
        (Kind.BARRIER, Kind.TRANSITION, Kind.CHALLENGE),
        "What puts people off the role, what is hard about moving into it, and the "
        "pressures of doing it.",
    ),
    EvidencePart(
        "recommendations",
        "Conclusions and recommendations",
        (Kind.RECOMMENDATION,),
        "What the paper recommends for trusts, boards and the future of the role.",
    ),
]

PARTS_BY_SLUG = {part.slug: part for part in PARTS}
# Every kind of finding in the order the guide reads; kinds in no part come last.
READING_ORDER = [kind for part in PARTS for kind in part.kinds] + [
    kind for kind in Kind if not any(kind in part.kinds for part in PARTS)
]
PART_OF_KIND = {kind: part for part in PARTS for kind in part.kinds}


def finding_url(finding: Finding) -> str:
    """Where the guide shows a finding: its part's page, or the overview for other kinds."""
    part = PART_OF_KIND.get(finding.kind)
    page = part.get_absolute_url() if part else reverse("roles:evidence")
    return f"{page}#finding-{finding.slug}"
