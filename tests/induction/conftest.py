"""Shared fixtures for the induction tests: national data, trusts, packs and people.

The national role model is loaded once per test session: from `fixtures/roles.json` (the real
data) when it exists, otherwise from a small stand-in built here. `national` makes sure it is
there for tests that run after a transactional test has flushed the database.

People, all with password `password`:
  editor, approver, reader   – one role each in `trust`
  editor_approver            – editor and approver of `trust` (like a trust's HR admin)
  outsider                   – editor and approver of `other_trust` only
  staff                      – platform staff, no memberships
  anonymous                  – AnonymousUser
`pack` is `trust`'s Medical Director pack made from the baseline; `other_pack` is
`other_trust`'s. `published` is `pack` after one publication (version 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from induction.models import InductionPack, Membership, PackVersion, Trust
from induction.services import create_pack_from_baseline
from roles.models import (
    Citation,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

PASSWORD = "password"


def roles_fixture_exists() -> bool:
    return any((Path(folder) / "roles.json").exists() for folder in settings.FIXTURE_DIRS)


def _cite(statement, source, paragraph, locator=""):
    Citation.objects.create(
        cited_object=statement, source=source, paragraph=paragraph, locator=locator
    )


def build_minimal_national_data() -> None:
    """A small, realistic slice of the national role model (used until roles.json exists)."""
    paper = Source.objects.create(
        key="ggi-2017",
        authors="Good Governance Institute",
        title="GGI board insights paper 2: the role of the Medical Director in the NHS",
        year=2017,
        is_primary=True,
    )
    confed = Source.objects.create(
        key="nhs-confederation-2009",
        authors="NHS Confederation",
        title="Future of Leadership Paper 2: the role of the trust Medical Director",
        year=2009,
    )
    monitor = Source.objects.create(
        key="monitor-2014",
        authors="Monitor",
        title="Supporting the role of Medical Director",
        year=2014,
    )
    md = Role.objects.create(
        slug="medical-director",
        name="Medical Director",
        abbreviation="MD",
        summary="A board member with a clinical background.",
        is_board_member=True,
        order=1,
    )
    ceo = Role.objects.create(
        slug="chief-executive",
        name="Chief Executive",
        abbreviation="CEO",
        summary="Leads the executive team.",
        is_board_member=True,
        order=2,
    )
    ned = Role.objects.create(
        slug="non-executive-director",
        name="Non-executive director",
        abbreviation="NED",
        summary="An independent board member.",
        is_board_member=True,
        order=3,
    )
    responsibilities = [
        (
            "core",
            "clinical-strategy",
            "Clinical strategy",
            "Leading the forming and putting into practice of clinical strategy.",
        ),
        (
            "core",
            "clinical-standards",
            "Clinical standards",
            "Taking a lead on clinical standards.",
        ),
        (
            "core",
            "clinical-advice",
            "Clinical advice to the board",
            "Giving the board clinical advice.",
        ),
        (
            "delegated",
            "clinical-governance",
            "Clinical governance",
            "Oversight of clinical governance.",
        ),
        (
            "delegated",
            "responsible-officer",
            "Responsible Officer for revalidation",
            "The statutory Responsible Officer for doctors' revalidation.",
        ),
    ]
    for order, (kind, slug, title, description) in enumerate(responsibilities):
        responsibility = Responsibility.objects.create(
            role=md, kind=kind, slug=slug, title=title, description=description, order=order
        )
        _cite(responsibility, paper, "4.1.2")
        _cite(responsibility, confed, "4.1.2", "p2")
    line = ReportingLine.objects.create(
        from_role=md,
        to_role=ceo,
        kind="line",
        description="As a member of the executive team, the Medical Director reports to the "
        "Chief Executive.",
    )
    _cite(line, paper, "6.1.1")
    relationship = Relationship.objects.create(
        role=md,
        other_role=ned,
        summary="NEDs tend to see the role as operational and undervalue its strategy work.",
    )
    _cite(relationship, monitor, "6.2.1", "p10")
    point = GoodPractice.objects.create(relationship=relationship, text="Constructive challenge")
    _cite(point, monitor, "6.2.1", "p16")
    for kind, slug, title in [
        ("practice_benefit", "credibility", "Keeping credibility with clinicians"),
        ("practice_drawback", "fragmented", "A fragmented working week"),
        ("board_support", "team-working", "Team working"),
        ("ned_misreading", "operational", "Seeing the role as only operational"),
        ("training", "mentoring", "Mentoring and coaching"),
        ("succession", "no-plans", "Few succession plans"),
    ]:
        finding = Finding.objects.create(
            kind=kind, slug=slug, title=title, text=f"What the paper says about {title.lower()}."
        )
        _cite(finding, paper, "4.1.4")
    for abbreviation, term in [
        ("MD", "Medical Director"),
        ("NED", "Non-executive director"),
        ("RO", "Responsible Officer"),
    ]:
        glossary_term = GlossaryTerm.objects.create(
            abbreviation=abbreviation, term=term, definition=f"The {term.lower()}."
        )
        _cite(glossary_term, paper, "1")


def load_national_data() -> None:
    if Role.objects.filter(slug="medical-director").exists():
        return
    if roles_fixture_exists():
        call_command("loaddata", "roles", verbosity=0)
    else:
        build_minimal_national_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the national data into the test database once for the session."""
    with django_db_blocker.unblock():
        load_national_data()


@pytest.fixture
def national(db) -> Role:
    """The national Medical Director role, with its data loaded."""
    load_national_data()
    return Role.objects.get(slug="medical-director")


@pytest.fixture
def make_user(db):
    def make(username: str, *, trust: Trust | None = None, roles=(), **fields):
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
        for role in roles:
            Membership.objects.create(user=user, trust=trust, role=role)
        return user

    return make


@pytest.fixture
def trust(db) -> Trust:
    return Trust.objects.create(
        name="Testshire Hospitals NHS Foundation Trust",
        slug="testshire",
        ods_code="RT1",
        kind=Trust.Kind.ACUTE,
    )


@pytest.fixture
def other_trust(db) -> Trust:
    return Trust.objects.create(
        name="Elsewhere Community NHS Trust",
        slug="elsewhere",
        ods_code="RT2",
        kind=Trust.Kind.COMMUNITY,
    )


@pytest.fixture
def pack(national, trust) -> InductionPack:
    return create_pack_from_baseline(trust=trust)


@pytest.fixture
def other_pack(national, other_trust) -> InductionPack:
    return create_pack_from_baseline(trust=other_trust)


@pytest.fixture
def editor(make_user, trust):
    return make_user("editor", trust=trust, roles=[Membership.Role.EDITOR])


@pytest.fixture
def second_editor(make_user, trust):
    return make_user("second-editor", trust=trust, roles=[Membership.Role.EDITOR])


@pytest.fixture
def approver(make_user, trust):
    return make_user("approver", trust=trust, roles=[Membership.Role.APPROVER])


@pytest.fixture
def editor_approver(make_user, trust):
    return make_user(
        "hr-admin", trust=trust, roles=[Membership.Role.EDITOR, Membership.Role.APPROVER]
    )


@pytest.fixture
def reader(make_user, trust):
    return make_user("reader", trust=trust, roles=[Membership.Role.READER])


@pytest.fixture
def outsider(make_user, other_trust):
    return make_user(
        "outsider", trust=other_trust, roles=[Membership.Role.EDITOR, Membership.Role.APPROVER]
    )


@pytest.fixture
def staff(make_user):
    return make_user("staff", is_staff=True)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def published(pack, editor_approver) -> PackVersion:
    """`pack` published once (version 1) by `editor_approver`."""
    return pack.publish(user=editor_approver, change_summary="First version")
