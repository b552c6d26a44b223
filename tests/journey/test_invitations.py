"""Invitations as a service: sending (who may, what is refused, the limit per editor), revoking,
and accepting — the role, board role and start date it gives, once, to the address it was
sent to, until it expires — with every step in the trust's audit trail."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from induction.models import AuditEvent, Membership
from journey import invitations
from journey.invitations import InvitationRefused, Refusal
from journey.models import Invitation
from roles.models import Role

START = timezone.localdate() + datetime.timedelta(days=30)


def audit(trust, action):
    return list(
        AuditEvent.objects.filter(trust=trust, action=action).values_list("actor", "pack", "detail")
    )


def newcomer(make_user, email="new.member@example.nhs.uk", **fields):
    return make_user("newcomer", email=email, first_name="Robin", last_name="Ng", **fields)


# --- sending -------------------------------------------------------------------------------


def test_an_editor_invites_someone_and_only_a_hash_of_the_link_s_token_is_kept(
    send_invitation, pack, editor
):
    invitation, token = send_invitation("New.Member@Example.NHS.uk ")
    assert invitation.email == "new.member@example.nhs.uk"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash and len(token) >= 43
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.invited_by == editor and invitation.trust == pack.trust
    days = (invitation.expires_at - invitation.created_at).days
    assert days == 14
    [message] = mail.outbox
    assert message.to == ["new.member@example.nhs.uk"]


def test_tokens_differ_for_every_invitation(send_invitation):
    tokens = {send_invitation(f"person{n}@example.nhs.uk")[1] for n in range(5)}
    assert len(tokens) == 5


def test_sending_is_in_the_audit_trail(send_invitation, pack, editor, national):
    send_invitation(
        "md@example.nhs.uk", board_role_id=national.pk, start_date=datetime.date.today()
    )
    [(actor, event_pack, detail)] = audit(pack.trust, AuditEvent.Action.INVITATION_SENT)
    assert actor == editor.pk and event_pack is None
    assert detail.startswith("Invited md@example.nhs.uk as a reader, being inducted as Medical")


def test_the_link_s_lifetime_follows_the_setting(send_invitation, settings):
    settings.INVITATION_DAYS = 3
    invitation, _ = send_invitation()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


@pytest.mark.parametrize("who", ["approver", "reader", "outsider", "staff"])
def test_only_the_trust_s_editors_invite(request, pack, who):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            pack=pack, user=request.getfixturevalue(who), email="x@example.nhs.uk", role="reader"
        )
    assert not Invitation.objects.exists() and mail.outbox == []


def test_staff_acting_as_an_editor_may_invite(send_invitation, staff_acting):
    invitation, _ = send_invitation(user=staff_acting)
    assert invitation.invited_by == staff_acting


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "not an address"}, "email", "Enter an e-mail address in the correct format"),
        ({"email": "a@b@example.nhs.uk"}, "email", "Enter an e-mail address in the correct"),
        ({"email": ""}, "email", "Enter an e-mail address in the correct format"),
        ({"role": "owner"}, "role", "Choose what they can do"),
        ({"start_date": START}, "start_date", "Leave the start date empty"),
        ({"board_role": True}, "start_date", "Enter the date they start"),
        ({"board_role": True, "start_date": datetime.date(1999, 1, 1)}, "start_date",
         "Enter a start date between"),
        ({"board_role": True, "start_date": datetime.date(2999, 1, 1)}, "start_date",
         "Enter a start date between"),
        ({"board_role": "other"}, "board_role", "Choose a board role this trust has a"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_saying_what_to_do_and_nothing_is_sent(
    pack, editor, national, fields, field, message
):
    fields = dict(fields)
    board_role = fields.pop("board_role", None)
    if board_role is True:
        fields["board_role_id"] = national.pk
    elif board_role == "other":
        fields["board_role_id"] = Role.objects.exclude(pk=national.pk).first().pk
        fields["start_date"] = START
    arguments = {"email": "x@example.nhs.uk", "role": "reader", **fields}
    with pytest.raises(ValidationError) as refused:
        invitations.invite(pack=pack, user=editor, **arguments)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Invitation.objects.exists() and not AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_SENT
    ).exists()


def test_start_dates_a_year_back_and_two_years_ahead_are_the_limits(send_invitation, national):
    today = timezone.localdate()
    for n, start in enumerate([today - datetime.timedelta(days=365),
                               today + datetime.timedelta(days=730)]):  # fmt: skip
        send_invitation(f"p{n}@example.nhs.uk", board_role_id=national.pk, start_date=start)
    with pytest.raises(ValidationError, match="Enter a start date between"):
        send_invitation(
            "late@example.nhs.uk", board_role_id=national.pk,
            start_date=today + datetime.timedelta(days=731),
        )  # fmt: skip


def test_an_address_with_an_invitation_waiting_is_not_invited_again(send_invitation):
    send_invitation("twice@example.nhs.uk")
    with pytest.raises(ValidationError, match="has not answered yet. Revoke that invitation"):
        send_invitation("TWICE@example.nhs.uk", role=Membership.Role.EDITOR)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_an_address_may_be_invited_again_once_the_invitation_is_revoked(
    send_invitation, pack, editor
):
    first, _ = send_invitation("again@example.nhs.uk")
    invitations.revoke(pack=pack, user=editor, invitation=first)
    second, _ = send_invitation("again@example.nhs.uk")
    assert second.pk != first.pk


def test_someone_who_holds_the_role_already_is_not_invited_to_it(send_invitation, make_user, trust):
    make_user("member", email="Member@example.nhs.uk", trust=trust, roles=["reader"])
    with pytest.raises(ValidationError, match="is a reader of this trust already"):
        send_invitation("member@example.nhs.uk", role=Membership.Role.READER)
    invitation, _ = send_invitation("member@example.nhs.uk", role=Membership.Role.EDITOR)
    assert invitation.role == Membership.Role.EDITOR


def test_an_editor_sends_at_most_the_daily_limit(send_invitation, settings, second_editor):
    settings.INVITATIONS_PER_EDITOR_PER_DAY = 3
    for n in range(3):
        send_invitation(f"p{n}@example.nhs.uk")
    with pytest.raises(ValidationError, match="sent 3 invitations in the last 24 hours"):
        send_invitation("one-more@example.nhs.uk")
    assert len(mail.outbox) == 3
    # The limit is per editor: a colleague can still invite.
    send_invitation("colleague@example.nhs.uk", user=second_editor)


def test_invitations_older_than_a_day_do_not_count_towards_the_limit(
    send_invitation, settings, editor
):
    settings.INVITATIONS_PER_EDITOR_PER_DAY = 1
    first, _ = send_invitation("p1@example.nhs.uk")
    yesterday = timezone.now() - datetime.timedelta(days=1, minutes=1)
    Invitation.objects.filter(pk=first.pk).update(
        created_at=yesterday, expires_at=yesterday + datetime.timedelta(days=14)
    )
    send_invitation("p2@example.nhs.uk")


def test_revoked_invitations_still_count_towards_the_limit(send_invitation, settings, pack, editor):
    settings.INVITATIONS_PER_EDITOR_PER_DAY = 1
    first, _ = send_invitation("p1@example.nhs.uk")
    invitations.revoke(pack=pack, user=editor, invitation=first)
    with pytest.raises(ValidationError, match="in the last 24 hours"):
        send_invitation("p2@example.nhs.uk")


# --- revoking ------------------------------------------------------------------------------


def test_revoking_stops_the_link_and_is_audited(send_invitation, pack, editor, second_editor):
    invitation, token = send_invitation("gone@example.nhs.uk")
    invitations.revoke(pack=pack, user=second_editor, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.revoked_by == second_editor
    [(actor, _, detail)] = audit(pack.trust, AuditEvent.Action.INVITATION_REVOKED)
    assert actor == second_editor.pk
    assert detail.startswith("Revoked the invitation of gone@example.nhs.uk sent on ")
    assert invitations.invitation_for_token(token).status == Invitation.Status.REVOKED


def test_an_invitation_that_is_not_waiting_cannot_be_revoked(
    send_invitation, pack, editor, make_user
):
    invitation, _ = send_invitation()
    invitations.accept_invitation(invitation, newcomer(make_user))
    with pytest.raises(ValidationError, match="is accepted already: there is nothing to revoke"):
        invitations.revoke(pack=pack, user=editor, invitation=invitation)
    assert audit(pack.trust, AuditEvent.Action.INVITATION_REVOKED) == []


def test_another_trust_s_invitation_cannot_be_revoked_through_this_trust(
    send_invitation, other_pack, outsider
):
    invitation, _ = send_invitation()
    with pytest.raises(ValidationError, match="not one of this trust's"):
        invitations.revoke(pack=other_pack, user=outsider, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.parametrize("who", ["approver", "reader", "outsider"])
def test_only_the_trust_s_editors_revoke(request, send_invitation, pack, who):
    invitation, _ = send_invitation()
    with pytest.raises(PermissionDenied):
        invitations.revoke(pack=pack, user=request.getfixturevalue(who), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.is_pending


# --- accepting -----------------------------------------------------------------------------


def test_accepting_makes_the_person_a_member_with_the_role_and_start_date(
    send_invitation, make_user, pack, editor, national
):
    invitation, _ = send_invitation(
        role=Membership.Role.EDITOR, board_role_id=national.pk, start_date=START
    )
    person = newcomer(make_user)
    invitations.accept_invitation(invitation, person)
    membership = Membership.objects.get(user=person, trust=pack.trust)
    assert (membership.role, membership.board_role, membership.start_date) == (
        Membership.Role.EDITOR, national, START
    )  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    assert pack.can_edit(person)
    [(actor, event_pack, detail)] = audit(pack.trust, AuditEvent.Action.INVITATION_ACCEPTED)
    assert actor == person.pk and event_pack is None
    assert detail == (
        f"Robin Ng (new.member@example.nhs.uk) joined as an editor, being inducted as Medical "
        f"Director from {START:%-d %B %Y}, invited by editor"
    )


def test_accepting_adds_a_role_to_an_existing_member_and_sets_their_induction_on_every_role(
    send_invitation, make_user, trust, national
):
    person = make_user("ned", email="ned@example.nhs.uk", trust=trust, roles=["reader"])
    invitation, _ = send_invitation(
        "ned@example.nhs.uk", role="approver", board_role_id=national.pk, start_date=START
    )
    invitations.accept_invitation(invitation, person)
    assert set(person.memberships.values_list("role", "board_role", "start_date")) == {
        ("reader", national.pk, START), ("approver", national.pk, START)
    }  # fmt: skip


def test_accepting_without_a_board_role_leaves_an_existing_induction_alone(
    send_invitation, inductee, make_user
):
    inductee.email = "asha@example.nhs.uk"
    inductee.save()
    before = inductee.memberships.get()
    invitation, _ = send_invitation("asha@example.nhs.uk", role="editor")
    invitations.accept_invitation(invitation, inductee)
    assert set(inductee.memberships.values_list("role", "board_role", "start_date")) == {
        (role, before.board_role_id, before.start_date) for role in ("reader", "editor")
    }


def test_the_e_mail_address_is_matched_without_regard_to_case(send_invitation, make_user, pack):
    invitation, _ = send_invitation("robin.ng@example.nhs.uk")
    person = newcomer(make_user, email="Robin.NG@Example.nhs.uk")
    invitations.accept_invitation(invitation, person)
    assert pack.is_member(person)


def test_an_invitation_works_once(send_invitation, make_user, pack):
    invitation, _ = send_invitation()
    person = newcomer(make_user)
    invitations.accept_invitation(invitation, person)
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, person)
    assert refused.value.refusal is Refusal.USED
    assert Membership.objects.filter(user=person).count() == 1
    assert len(audit(pack.trust, AuditEvent.Action.INVITATION_ACCEPTED)) == 1


def test_a_stale_copy_of_an_accepted_invitation_is_still_refused(
    send_invitation, make_user, pack
):
    """The refusal is decided on the row as it is now, not on the caller's copy."""
    invitation, _ = send_invitation()
    stale = Invitation.objects.get(pk=invitation.pk)
    invitations.accept_invitation(invitation, newcomer(make_user))
    same_address = make_user("second-account", email="new.member@example.nhs.uk")
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(stale, same_address)
    assert refused.value.refusal is Refusal.USED
    assert not pack.is_member(same_address)


def test_someone_with_another_address_cannot_accept(send_invitation, make_user, reader, pack):
    invitation, _ = send_invitation("intended@example.nhs.uk")
    other = newcomer(make_user, email="someone.else@example.nhs.uk")
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, other)
    assert refused.value.refusal is Refusal.WRONG_EMAIL
    assert "different e-mail address" in refused.value.refusal.message
    assert not pack.is_member(other)
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_account_without_an_e_mail_address_cannot_accept(send_invitation, make_user, pack):
    invitation, _ = send_invitation()
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, make_user("no-address"))
    assert refused.value.refusal is Refusal.WRONG_EMAIL


def test_the_editor_who_sent_it_cannot_accept_it(send_invitation, editor, pack):
    """Otherwise an editor could invite their own address as an approver and accept."""
    editor.email = "editor@example.nhs.uk"
    editor.save()
    invitation, _ = send_invitation("editor@example.nhs.uk", role="approver")
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, editor)
    assert refused.value.refusal is Refusal.OWN_INVITATION
    assert not pack.can_approve(editor)


def test_an_expired_invitation_cannot_be_accepted(send_invitation, make_user, pack):
    invitation, _ = send_invitation()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, newcomer(make_user))
    assert refused.value.refusal is Refusal.EXPIRED
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_a_revoked_invitation_cannot_be_accepted(send_invitation, make_user, pack, editor):
    invitation, _ = send_invitation()
    invitations.revoke(pack=pack, user=editor, invitation=invitation)
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, newcomer(make_user))
    assert refused.value.refusal is Refusal.REVOKED
    assert audit(pack.trust, AuditEvent.Action.INVITATION_ACCEPTED) == []


def test_a_switched_off_account_cannot_accept(send_invitation, make_user, pack):
    invitation, _ = send_invitation()
    with pytest.raises(InvitationRefused) as refused:
        invitations.accept_invitation(invitation, newcomer(make_user, is_active=False))
    assert refused.value.refusal is Refusal.INACTIVE


def test_an_unknown_or_overlong_token_finds_nothing(send_invitation):
    _, token = send_invitation()
    assert invitations.invitation_for_token(token) is not None
    assert invitations.invitation_for_token(token[:-1]) is None
    assert invitations.invitation_for_token(token + "x" * 100) is None
    assert invitations.invitation_for_token("") is None


def test_a_start_date_given_by_invitation_welcomes_the_new_member(
    send_invitation, make_user, national, django_capture_on_commit_callbacks
):
    invitation, _ = send_invitation(board_role_id=national.pk, start_date=START)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.accept_invitation(invitation, newcomer(make_user))
    [welcome] = mail.outbox
    assert welcome.subject.startswith("Welcome to your board induction")
