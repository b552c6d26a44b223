"""Test data for the PDF tests: a realistic frozen pack, and versions made from it.

Versions are created directly from snapshot data rendered by the real
`induction.snapshot.render_snapshot_html`, so the PDF sees the same body the reading view
does, without going through the draft editor.
"""

import datetime

from django.utils import timezone

from induction.models import InductionPack, PackVersion, Trust
from induction.rendering import render_snapshot_html
from roles.models import Role

WELCOME = """\
Welcome to Northshire. This handbook sets out how the Medical Director role works here.

| Meeting | When | Who chairs |
|---|---|---|
| Board of directors | First Thursday of the month | Chair |
| Quality committee | Monthly | Non-executive director |
| Executive team | Weekly, Monday | Chief Executive |

Ask the company secretary for the board calendar.[^calendar]

[^calendar]: The calendar is on the trust intranet under Governance.
"""


def pack_content(*, trust_slug="northshire", sections_of_prose=2, paragraphs=3):
    """A snapshot with one section of every kind, plus some free-text sections."""
    prose = "\n\n".join(
        "The trust runs three hospital sites and community services across the county. "
        "Clinical directors lead each care group and meet the Medical Director monthly."
        for _ in range(paragraphs)
    )
    sections = [
        {"title": "Welcome", "kind": "markdown", "body": WELCOME},
        {
            "title": "The Medical Director role here",
            "kind": "responsibilities",
            "body": "",
            "responsibilities": [
                {
                    "slug": f"duty-{index}",
                    "title": f"Professional leadership of doctors, area {index}",
                    "description": "Leads the medical workforce and its standards.",
                    "kind": "core" if index % 2 else "delegated",
                    "status": "held" if index % 3 else "delegated",
                    "delegated_to": "" if index % 3 else "Deputy Medical Director",
                    "note": "Shared with the **Director of Nursing** for joint posts.",
                    "citations": [
                        "GGI Board Insights 2 (2017), para 4.1.2",
                        f"NHS Confederation (2009), p{index}",
                    ],
                }
                for index in range(1, 13)
            ],
        },
        {
            "title": "Reporting lines and who is who",
            "kind": "people",
            "body": "",
            "post_holders": [
                {"name": "Dr Asha Patel", "title": "Chief Executive", "relation": "reports_to",
                 "contact": "asha.patel@example.nhs.uk"},
                {"name": "Tom Reid", "title": "Deputy Medical Director",
                 "relation": "reports_to_md", "contact": "01632 960000"},
                {"name": "Grace Okoro", "title": "Director of Nursing", "relation": "works_with",
                 "contact": ""},
            ],
        },
        {
            "title": "Your first 100 days",
            "kind": "checklist",
            "body": "",
            "checklist": [
                {"category": "meet", "text": f"Meet clinical director {index}",
                 "due_by_day": [7, 30, 60, 100][index % 4]}
                for index in range(1, 21)
            ],
        },
        {
            "title": "Glossary",
            "kind": "glossary",
            "body": "",
            "glossary": [
                {"abbreviation": "RO", "term": "Responsible Officer",
                 "definition": "Oversees the revalidation of doctors."},
                {"abbreviation": "NED", "term": "Non-executive director",
                 "definition": "A board member who is not an employee."},
            ],
        },
    ]
    sections[1:1] = [
        {"title": f"Clinical services, part {index}", "kind": "markdown", "body": prose}
        for index in range(1, sections_of_prose + 1)
    ]
    for position, section in enumerate(sections, start=1):
        section["anchor"] = f"section-{position}"
    return {
        "format": "mdportal.induction-pack/1",
        "trust": trust_slug,
        "title": "Medical Director induction",
        "board_role": "medical-director",
        "board_role_name": "Medical Director",
        "sections": sections,
    }


def medical_director_role():
    role, _ = Role.objects.get_or_create(
        slug="medical-director",
        defaults={"name": "Medical Director", "summary": "Leads the medical workforce."},
    )
    return role


def make_pack(*, slug="northshire", name=None, ods_code="RX1", visibility="public"):
    trust = Trust.objects.create(
        name=name or f"{slug.title()} Hospitals NHS Foundation Trust",
        slug=slug,
        ods_code=ods_code,
        kind=Trust.Kind.ACUTE,
    )
    return InductionPack.objects.create(
        trust=trust,
        board_role=medical_director_role(),
        title="Medical Director induction",
        visibility=visibility,
    )


def make_version(pack, *, number=1, content=None, rendered_html=None, **fields):
    content = content or pack_content(trust_slug=pack.trust.slug)
    return PackVersion.objects.create(
        pack=pack,
        number=number,
        content=content,
        rendered_html=rendered_html if rendered_html is not None else render_snapshot_html(content),
        published_at=fields.pop(
            "published_at", timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
        ),
        next_review_date=fields.pop("next_review_date", datetime.date(2027, 3, 2)),
        **fields,
    )
