"""Entra ID groups mapped to editor and approver, re-read at every single sign-on: a mapped
group gives its role, leaving the group takes that role away (with a message), and roles given
in the portal are never touched. Every change is in the trust's audit trail."""

from html import unescape

import pytest

from induction.models import AuditEvent, Membership
from sso.models import GroupMapping, SignOnIdentity

from .conftest import APPROVERS_GROUP, EDITORS_GROUP


@pytest.fixture
def mapped(sign_on):
    GroupMapping.objects.create(sign_on=sign_on, group_id=EDITORS_GROUP, role="editor")
    GroupMapping.objects.create(sign_on=sign_on, group_id=APPROVERS_GROUP.upper(), role="approver")
    return sign_on


@pytest.fixture
def hana(make_user, trust):
    return make_user("hana", email="hana@testshire.nhs.uk", trust=trust, roles=["reader"])


def role_changes(trust):
    return list(
        AuditEvent.objects.filter(trust=trust, action=AuditEvent.Action.MEMBER_ROLES_CHANGED)
        .order_by("pk")
        .values_list("detail", flat=True)
    )


def test_a_mapped_group_gives_its_role_at_sign_in(
    client, mapped, provider, sso_sign_in, hana, trust
):
    provider.register("hana", groups=[EDITORS_GROUP, "some-other-group"])

    response = sso_sign_in(client, "hana")

    assert trust.role_names_for(hana) == {"reader", "editor"}
    assert SignOnIdentity.objects.get(user=hana).roles_from_groups == ["editor"]
    assert "You are now an editor of" in unescape(response.content.decode())
    [change] = role_changes(trust)
    assert "reader and editor (was: reader)" in change


def test_group_ids_are_matched_without_case(client, mapped, provider, sso_sign_in, hana, trust):
    provider.register("hana", groups=[APPROVERS_GROUP])

    sso_sign_in(client, "hana")

    assert trust.role_names_for(hana) == {"reader", "approver"}


def test_leaving_the_group_takes_the_role_away_with_a_message(
    client, mapped, provider, sso_sign_in, hana, trust
):
    provider.register("hana", groups=[EDITORS_GROUP])
    sso_sign_in(client, "hana")
    client.logout()
    provider.register("hana", groups=[])

    response = sso_sign_in(client, "hana")

    assert response.status_code == 200
    assert trust.role_names_for(hana) == {"reader"}
    assert SignOnIdentity.objects.get(user=hana).roles_from_groups == []
    assert "You are no longer an editor of Testshire Hospitals NHS Foundation Trust" in unescape(
        response.content.decode()
    )
    assert "reader (was: reader and editor)" in role_changes(trust)[-1]


def test_a_role_given_in_the_portal_is_never_taken_by_the_mapping(
    client, mapped, provider, sso_sign_in, hana, trust
):
    Membership.objects.create(user=hana, trust=trust, role="approver")
    provider.register("hana", groups=[APPROVERS_GROUP])
    sso_sign_in(client, "hana")
    client.logout()
    provider.register("hana", groups=[])

    sso_sign_in(client, "hana")

    assert trust.role_names_for(hana) == {"reader", "approver"}
    assert role_changes(trust) == []


def test_too_many_groups_to_list_counts_as_none(client, mapped, provider, sso_sign_in, hana, trust):
    provider.register("hana", groups=[EDITORS_GROUP])
    sso_sign_in(client, "hana")
    client.logout()
    # Entra ID's "overage": the token says where to read the groups instead of listing them.
    provider.register(
        "hana", groups=None, _claim_names={"groups": "src1"}, _claim_sources={"src1": {}}
    )

    sso_sign_in(client, "hana")

    assert trust.role_names_for(hana) == {"reader"}


def test_a_just_in_time_reader_gets_the_roles_of_their_groups(
    client, mapped, provider, sso_sign_in, trust
):
    mapped.allow_just_in_time_accounts = True
    mapped.save()
    provider.register("ivan", groups=[EDITORS_GROUP, APPROVERS_GROUP])

    sso_sign_in(client, "ivan")

    user = SignOnIdentity.objects.get(email="ivan@testshire.nhs.uk").user
    assert trust.role_names_for(user) == {"reader", "editor", "approver"}


def test_a_group_alone_lets_nobody_in(client, mapped, provider, sso_sign_in, trust):
    """Without an account, an invitation or just-in-time accounts, a mapped group is not
    enough: the trust decides who joins."""
    provider.register("jo", groups=[EDITORS_GROUP])

    response = sso_sign_in(client, "jo")

    assert response.status_code == 403
    assert not SignOnIdentity.objects.exists()


def test_an_editor_signed_in_through_the_tenant_is_not_asked_for_a_second_factor(
    client, mapped, provider, sso_sign_in, hana, trust, pack
):
    """The tenant asked for one (amr "mfa"): the portal's own two-step step is for password
    sign-ins only (mfa/policy.py), whichever sign-in receiver runs first."""
    provider.register("hana", groups=[EDITORS_GROUP])
    sso_sign_in(client, "hana")
    assert trust.role_names_for(hana) == {"reader", "editor"}

    response = client.get(f"/trusts/{trust.slug}/induction/edit/")

    assert response.status_code == 200
    assert "two-step" not in response.get("Location", "")


def test_a_password_sign_in_after_a_single_sign_on_is_asked_for_a_second_factor(
    client, mapped, provider, sso_sign_in, hana, trust, pack
):
    provider.register("hana", groups=[EDITORS_GROUP])
    sso_sign_in(client, "hana")
    hana.set_password("a long and unusual passphrase")
    hana.save()
    client.post(
        "/accounts/login/",
        {"username": hana.username, "password": "a long and unusual passphrase"},
    )

    response = client.get(f"/trusts/{trust.slug}/induction/edit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/")
