"""Shared fixtures for the induction tests: national data, trusts, packs and people.

The national role model (fixtures/roles.json, the real data) is loaded once per test session;
`national` makes sure it is there for tests that run after a transactional test has flushed
the database.

People, all with password `password`:
  editor, approver, reader   – one role each in `trust`
  editor_approver            – editor and approver of `trust` (like a trust's HR admin)
  outsider                   – editor and approver of `other_trust` only
  staff                      – platform staff, no memberships: may read every pack, change none
  staff_superuser            – `staff` with the superuser flag, to use the admin
  staff_acting               – other platform staff, acting as an editor of `trust` now
                               (`act_as_editor` starts that for any staff user)
  staff_approver             – `staff_acting`, also an approver of `trust` by membership
  sso_reader, sso_editor     – made by a first single sign-on through `trust`'s tenant
                               (just-in-time accounts on): a reader, and a reader whose Entra
                               ID group makes them an editor too
  anonymous                  – AnonymousUser
`pack` is `trust`'s Medical Director pack made from the baseline; `other_pack` is
`other_trust`'s. `published` is `pack` after one publication (version 1).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from induction.baseline import create_pack_from_baseline
from induction.models import InductionPack, Membership, PackVersion, Trust
from roles.models import Role

PASSWORD = "password"


def load_national_data() -> None:
    """The national role model from fixtures/roles.json, unless it is there already."""
    if not Role.objects.filter(slug="medical-director").exists():
        call_command("loaddata", "roles", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the national data into the test database once for the session."""
    with django_db_blocker.unblock():
        load_national_data()


@pytest.fixture
def national(db, django_capture_on_commit_callbacks) -> Role:
    """The national Medical Director role, with its data loaded. Reloaded inside the test
    after a transactional test flushed the database, its after-commit work (indexing the
    national guide for search) is done as a commit would do it, so every test starts from the
    same state whichever tests ran before it on the same worker."""
    with django_capture_on_commit_callbacks(execute=True):
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
def staff_superuser(staff):
    """`staff`, made a superuser so that every admin page and action is open to them."""
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff


def act_as_editor(user, trust: Trust, *, reason: str = "The trust asked us to fix a link."):
    """Start `user` (platform staff) acting as an editor of `trust`, through the audited step
    the portal's form uses, and return the StaffAccess."""
    from induction.staff_access import start_staff_access

    pack = trust.packs.order_by("board_role__order", "pk").first()
    return start_staff_access(pack=pack, user=user, reason=reason)


@pytest.fixture
def staff_acting(make_user, pack):
    """Platform staff acting as an editor of `trust` (so of `pack`), started now."""
    user = make_user("acting-staff", is_staff=True, first_name="Sam", last_name="Support")
    act_as_editor(user, pack.trust)
    return user


@pytest.fixture
def staff_approver(staff_acting, trust):
    """`staff_acting`, also an approver of `trust` by membership: the four-eyes rule applies
    to them as to any approver who edits."""
    Membership.objects.create(user=staff_acting, trust=trust, role=Membership.Role.APPROVER)
    return staff_acting


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def published(pack, editor_approver) -> PackVersion:
    """`pack` published once (version 1) by `editor_approver`."""
    return pack.publish(user=editor_approver, change_summary="First version")


def edit_draft(pack: InductionPack, user, *, text: str = "An edit.") -> None:
    """Change the draft through the editor's own service, as `user` (appends to the first
    section), so that there is something new to publish and `user` counts as its editor."""
    from induction import services

    section = pack.sections.order_by("order").first()
    services.save_section(
        section=section,
        user=user,
        expected_revision=section.revision,
        body=f"{section.body}\n\n{text}",
    )


def one_space_edit(pack: InductionPack, user) -> None:
    """The smallest real edit, as `user`: one space added to the end of the last section."""
    from induction import services

    section = pack.sections.order_by("order").last()
    services.save_section(
        section=section, user=user, expected_revision=section.revision, body=f"{section.body} "
    )


@pytest.fixture
def edited():
    """`edit_draft`, for tests that take it as a fixture."""
    return edit_draft


@pytest.fixture
def attach_note():
    """Attach a "changed since 2017" note to a national statement: `attach_note(statement,
    title=…, …)`, with a source checked on 30 November 2026 unless the test says otherwise."""
    from roles.models import DevelopmentLink, LaterDevelopment

    def attach(statement, **fields):
        fields = {
            "slug": f"test-note-{LaterDevelopment.objects.count() + 1}",
            "text": "What changed.",
            "source_title": "The source",
            "source_publisher": "NHS England",
            "source_url": "https://www.england.nhs.uk/example/",
            "checked_on": datetime.date(2026, 11, 30),
            **fields,
        }
        note = LaterDevelopment.objects.create(**fields)
        DevelopmentLink.objects.create(development=note, statement=statement)
        return note

    return attach


SSO_TENANT = "0b7e6b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def sso_sign_on(trust):
    """`trust`'s single sign-on with just-in-time accounts, its group "editors" mapped to the
    editor role."""
    from sso.models import GroupMapping, TrustSignOn

    sign_on = TrustSignOn.objects.create(
        trust=trust,
        enabled=True,
        issuer=f"https://login.microsoftonline.com/{SSO_TENANT}/v2.0",
        tenant_id=SSO_TENANT,
        client_id="board-induction-portal",
        client_secret_variable="MDPORTAL_SSO_TESTSHIRE",
        allow_just_in_time_accounts=True,
    )
    GroupMapping.objects.create(sign_on=sign_on, group_id="editors", role="editor")
    return sign_on


def signed_on(sign_on, name: str, groups=()):
    """The user a first single sign-on makes from a verified ID token's claims (the token's
    own checks are tested in tests/sso)."""
    from sso.signing_in import sign_in

    claims = {"sub": name, "oid": name, "tid": SSO_TENANT, "email": f"{name}@testshire.nhs.uk",
              "email_verified": True, "groups": list(groups)}  # fmt: skip
    return sign_in(sign_on=sign_on, claims=claims).user


@pytest.fixture
def sso_reader(sso_sign_on):
    return signed_on(sso_sign_on, "jit-reader")


@pytest.fixture
def sso_editor(sso_sign_on):
    return signed_on(sso_sign_on, "jit-editor", groups=["editors"])
