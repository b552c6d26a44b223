"""Who a single sign-on signs in, through the test provider over HTTP: members by their
verified e-mail address and the trust's tenant, invited people, just-in-time readers where the
trust allows them; and the refusals, each with its own plain page that changes nothing."""

import datetime
from html import unescape

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils import timezone

from induction.models import AuditEvent, Membership
from journey import invitations
from journey.models import Invitation
from sso.models import SignOnIdentity
from sso.session import SIGNED_IN_BY_SSO

from .conftest import OTHER_TENANT

User = get_user_model()


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def page_text(response) -> str:
    return unescape(response.content.decode())


def assert_refused(client, response, heading, status=403):
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page_text(response)
    assert response["Cache-Control"] == "no-store"
    assert signed_in_user(client) is None


@pytest.fixture
def member(make_user, trust):
    return make_user(
        "alice-local", email="Alice@Testshire.nhs.uk", trust=trust, roles=[Membership.Role.READER]
    )


def test_a_member_signs_in_by_e_mail_address_and_lands_on_the_trust_s_pack(
    client, sign_on, provider, sso_sign_in, member, pack
):
    provider.register("alice")

    response = sso_sign_in(client, "alice")

    assert response.status_code == 200
    assert signed_in_user(client) == member
    # As after a password sign-in: a member of one trust lands on its pack.
    assert response.redirect_chain[-1][0] == pack.get_absolute_url()
    assert client.session[SIGNED_IN_BY_SSO] is True
    identity = SignOnIdentity.objects.get(user=member)
    assert (identity.trust, identity.tenant_id, identity.subject) == (
        sign_on.trust,
        sign_on.tenant_id,
        "oid-alice",
    )
    assert identity.email == "alice@testshire.nhs.uk"
    assert identity.last_amr == ["pwd", "mfa"]


def test_a_safe_next_address_wins_and_an_unsafe_one_is_ignored(
    client, sign_on, provider, sso_sign_in, member, pack
):
    provider.register("alice")

    response = sso_sign_in(client, "alice", next="/roles/")
    assert response.redirect_chain[-1][0] == "/roles/"

    client.logout()
    response = sso_sign_in(client, "alice", next="https://evil.example/")
    assert response.redirect_chain[-1][0] == pack.get_absolute_url()


def test_the_amr_claim_is_kept_only_as_the_last_sign_in_gave_it(
    client, sign_on, provider, sso_sign_in, member
):
    provider.register("alice", amr=None)
    sso_sign_in(client, "alice")
    assert SignOnIdentity.objects.get(user=member).last_amr == []


def test_an_account_of_another_tenant_is_refused(client, sign_on, provider, sso_sign_in, member):
    provider.register("alice", tid=OTHER_TENANT)

    response = sso_sign_in(client, "alice")

    assert_refused(client, response, "You signed in with another organisation's account")
    assert not SignOnIdentity.objects.exists()


@pytest.mark.parametrize(
    "claims",
    [{"email_verified": False}, {"email_verified": "false"}, {"email": None}, {"email": "alice"}],
    ids=["unverified", "unverified-as-text", "no-address", "not-an-address"],
)
def test_an_address_the_tenant_did_not_verify_is_refused(
    client, sign_on, provider, sso_sign_in, member, claims
):
    provider.register("alice", **claims)

    response = sso_sign_in(client, "alice")

    assert_refused(client, response, "We could not confirm your e-mail address")


def test_an_address_outside_the_trust_s_domains_is_refused(
    client, sign_on, provider, sso_sign_in, make_user, trust
):
    sign_on.email_domains = "testshire.nhs.uk"
    sign_on.save()
    make_user("elsewhere", email="bob@elsewhere.nhs.uk", trust=trust, roles=["reader"])
    provider.register("bob", email="bob@elsewhere.nhs.uk")

    response = sso_sign_in(client, "bob")

    assert_refused(client, response, "Your e-mail address is not one of your trust's")


def test_someone_without_an_account_is_refused_unless_the_trust_allows_just_in_time_accounts(
    client, sign_on, provider, sso_sign_in
):
    provider.register("carol")

    response = sso_sign_in(client, "carol")

    assert_refused(
        client,
        response,
        "You do not have an account for Testshire Hospitals NHS Foundation Trust yet",
    )
    assert "carol@testshire.nhs.uk" in page_text(response)
    assert not User.objects.filter(email="carol@testshire.nhs.uk").exists()


def test_a_just_in_time_account_is_a_reader_named_by_its_e_mail_address(
    client, sign_on, provider, sso_sign_in, trust, pack
):
    sign_on.allow_just_in_time_accounts = True
    sign_on.save()
    provider.register("carol", given_name="Carol", family_name="Jones")

    response = sso_sign_in(client, "carol")

    user = signed_in_user(client)
    assert (user.username, user.email, user.get_full_name()) == (
        "carol@testshire.nhs.uk",
        "carol@testshire.nhs.uk",
        "Carol Jones",
    )
    assert not user.has_usable_password()
    assert trust.role_names_for(user) == {Membership.Role.READER}
    assert "Welcome: you are now a member of" in page_text(response)
    entry = AuditEvent.objects.get(trust=trust, action=AuditEvent.Action.MEMBER_ROLES_CHANGED)
    assert entry.actor == user
    assert "reader (was: no role)" in entry.detail


def test_just_in_time_access_makes_an_existing_account_a_reader(
    client, sign_on, provider, sso_sign_in, make_user, trust, other_trust
):
    sign_on.allow_just_in_time_accounts = True
    sign_on.save()
    user = make_user("dave", email="dave@testshire.nhs.uk", trust=other_trust, roles=["editor"])
    provider.register("dave")

    sso_sign_in(client, "dave")

    assert signed_in_user(client) == user
    assert trust.role_names_for(user) == {Membership.Role.READER}
    assert other_trust.role_names_for(user) == {Membership.Role.EDITOR}


def test_a_waiting_invitation_is_accepted_for_an_existing_account(
    client, sign_on, provider, sso_sign_in, make_user, pack, editor, trust
):
    user = make_user("erin", email="erin@testshire.nhs.uk")
    invitation = invitations.invite(
        pack=pack, user=editor, email="erin@testshire.nhs.uk", role=Membership.Role.APPROVER
    )
    provider.register("erin")

    sso_sign_in(client, "erin")

    assert signed_in_user(client) == user
    assert trust.role_names_for(user) == {Membership.Role.APPROVER}
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED).exists()


def test_a_waiting_invitation_makes_the_account_at_first_sign_in(
    client, sign_on, provider, sso_sign_in, pack, editor, trust
):
    invitations.invite(pack=pack, user=editor, email="fay@testshire.nhs.uk", role="editor")
    provider.register("fay")

    sso_sign_in(client, "fay")

    user = signed_in_user(client)
    assert user.username == "fay@testshire.nhs.uk"
    assert trust.role_names_for(user) == {Membership.Role.EDITOR}


def test_an_expired_invitation_is_refused_saying_so(
    client, sign_on, provider, sso_sign_in, pack, editor
):
    invitation = invitations.invite(
        pack=pack, user=editor, email="gus@testshire.nhs.uk", role="reader"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(days=6),
    )
    provider.register("gus")

    response = sso_sign_in(client, "gus")

    assert_refused(client, response, "Your invitation has expired")
    assert not User.objects.filter(email="gus@testshire.nhs.uk").exists()


def test_an_invitation_that_cannot_be_accepted_leaves_no_account_behind(
    client, sign_on, provider, sso_sign_in, pack, editor
):
    """The editor who sent an invitation cannot accept it; the whole sign-in is undone."""
    editor.email = "editor@testshire.nhs.uk"
    editor.save()
    Membership.objects.filter(user=editor).delete()
    invitation = Invitation.objects.create(
        trust=pack.trust,
        email="editor@testshire.nhs.uk",
        role="editor",
        token_hash="x" * 64,
        invited_by=editor,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    provider.register("editor")

    response = sso_sign_in(client, "editor")

    assert_refused(client, response, "You cannot accept your invitation")
    assert "You sent this invitation" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not SignOnIdentity.objects.exists()


def test_the_link_to_the_tenant_account_survives_a_changed_address(
    client, sign_on, provider, sso_sign_in, member
):
    provider.register("alice")
    sso_sign_in(client, "alice")
    client.logout()
    provider.register("alice", email="alice.married-name@testshire.nhs.uk")

    sso_sign_in(client, "alice")

    assert signed_in_user(client) == member
    assert SignOnIdentity.objects.get(user=member).email == "alice.married-name@testshire.nhs.uk"


def test_another_tenant_account_given_a_linked_address_cannot_take_the_account_over(
    client, sign_on, provider, sso_sign_in, member
):
    provider.register("alice")
    sso_sign_in(client, "alice")
    client.logout()
    provider.register("mallory", email="alice@testshire.nhs.uk")

    response = sso_sign_in(client, "mallory")

    assert_refused(client, response, "Your portal account is linked to another account")


def test_names_are_never_matched(client, sign_on, provider, sso_sign_in, make_user, trust):
    make_user("alice", first_name="Alice", last_name="Tester", trust=trust, roles=["reader"])
    provider.register("alice", email="someone.else@testshire.nhs.uk")

    response = sso_sign_in(client, "alice")

    assert_refused(
        client,
        response,
        "You do not have an account for Testshire Hospitals NHS Foundation Trust yet",
    )


def test_two_accounts_with_the_address_are_refused(
    client, sign_on, provider, sso_sign_in, make_user, trust
):
    make_user("one", email="twin@testshire.nhs.uk", trust=trust, roles=["reader"])
    make_user("two", email="TWIN@testshire.nhs.uk", trust=trust, roles=["reader"])
    provider.register("twin")

    response = sso_sign_in(client, "twin")

    assert_refused(client, response, "More than one portal account has your e-mail address")


def test_platform_staff_cannot_sign_in_through_a_tenant(
    client, sign_on, provider, sso_sign_in, make_user, trust
):
    make_user("staffer", email="staffer@testshire.nhs.uk", is_staff=True)
    provider.register("staffer")

    response = sso_sign_in(client, "staffer")

    assert_refused(client, response, "Platform staff sign in with their password")


def test_a_switched_off_account_is_refused(client, sign_on, provider, sso_sign_in, member):
    member.is_active = False
    member.save()
    provider.register("alice")

    response = sso_sign_in(client, "alice")

    assert_refused(client, response, "Your account has been switched off")


def test_the_sign_in_is_known_as_a_single_sign_on_while_it_is_made(
    client, sign_on, provider, sso_sign_in, member
):
    """Receivers of user_logged_in (the MFA checks) can tell a single sign-on already."""
    from django.contrib.auth.signals import user_logged_in

    seen = []

    def receiver(sender, request, user, **kwargs):
        seen.append((request.mdportal_sso, request.session.get(SIGNED_IN_BY_SSO)))

    user_logged_in.connect(receiver, dispatch_uid="test-sso-seen")
    try:
        provider.register("alice")
        sso_sign_in(client, "alice")
    finally:
        user_logged_in.disconnect(dispatch_uid="test-sso-seen")

    assert seen == [(True, True)]


def test_a_password_sign_in_afterwards_is_not_a_single_sign_on(
    client, sign_on, provider, sso_sign_in, member
):
    provider.register("alice")
    sso_sign_in(client, "alice")
    assert client.session[SIGNED_IN_BY_SSO] is True

    client.post("/accounts/login/", {"username": "alice-local", "password": "password"})

    assert signed_in_user(client) == member
    assert SIGNED_IN_BY_SSO not in client.session


def test_the_invitation_page_offers_the_trust_s_single_sign_on_which_accepts_it(
    client, sign_on, provider, sso_sign_in, pack, editor, trust
):
    from journey.invitations import hash_of

    invitation = invitations.invite(
        pack=pack, user=editor, email="lou@testshire.nhs.uk", role="reader"
    )
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_of("lou-token"))

    page = page_text(client.get("/invitations/lou-token/"))

    assert "Accept with your Testshire Hospitals NHS Foundation Trust account" in page
    assert 'href="/accounts/sso/testshire/"' in page
    provider.register("lou")
    sso_sign_in(client, "lou")
    assert trust.role_names_for(signed_in_user(client)) == {Membership.Role.READER}


def test_the_invitation_page_does_not_offer_single_sign_on_while_it_is_off(
    client, sign_on, pack, editor
):
    from journey.invitations import hash_of

    sign_on.enabled = False
    sign_on.save()
    invitation = invitations.invite(
        pack=pack, user=editor, email="lou@testshire.nhs.uk", role="reader"
    )
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_of("lou-token"))

    assert "/accounts/sso/" not in page_text(client.get("/invitations/lou-token/"))
