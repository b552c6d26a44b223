"""Invitations to join a trust: sending one, revoking it, and accepting it. The one place each
of these happens, whatever page, command or sign-in path asks for it.

- `invite` checks the editor and what they typed, keeps only a hash of the link's token, writes
  the trust's audit trail and queues the e-mail once the invitation is committed.
- `revoke` stops a waiting invitation from working, audited.
- `accept_invitation(invitation, user)` makes the signed-in `user` a member as invited. Every
  sign-in path calls it once the person is signed in: the local account made on the
  invitation's page, an existing account signed in with, and single sign-on. It refuses an
  invitation that is used, revoked or expired, or a user whose e-mail address is not the one
  invited; of two accepts at once exactly one succeeds (a row lock, and an update that only
  matches an invitation still waiting).
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from induction.models import AuditEvent, InductionPack, Membership, Trust
from mdportal.tasks import send_email
from notifications import emails

from .members import induction_words, name_of
from .models import ROLE_WORDS, Invitation

logger = logging.getLogger(__name__)

# How far from today a start date may be: a typing mistake in the year, not a real start.
START_DATE_PAST_DAYS = 365
START_DATE_FUTURE_DAYS = 2 * 365
TOKEN_BYTES = 32
# Longer than any token `new_token` makes: anything longer is not looked up at all.
TOKEN_MAX_LENGTH = 64

BAD_EMAIL = "Enter an e-mail address in the correct format, like name@example.nhs.uk"
START_DATE_NEEDED = "Enter the date they start in the board role"
START_DATE_WITHOUT_ROLE = (
    "Leave the start date empty, or choose the board role they are starting in"
)


class Refusal(enum.Enum):
    """Why an invitation cannot be accepted, in words for the person holding its link."""

    USED = "This invitation has been used already: each invitation link works once."
    REVOKED = "This invitation link does not work."
    EXPIRED = "This invitation has expired."
    WRONG_EMAIL = "This invitation was sent to a different e-mail address from your account's."
    OWN_INVITATION = "You sent this invitation: it is for the person you invited."
    INACTIVE = "Your account has been switched off."

    @property
    def message(self) -> str:
        return self.value


class InvitationRefused(Exception):
    """`accept_invitation` could not accept; `refusal` says why."""

    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def new_token() -> str:
    """A random, unguessable token for an invitation's link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_of(token: str) -> str:
    """What is stored of a token. The token has 256 random bits, so a plain SHA-256 cannot be
    reversed or guessed; a slow password hash would add nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, whatever its status; None for a token that
    matches none."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Invitation.objects.select_related("trust", "board_role", "invited_by")
        .filter(token_hash=hash_of(token))
        .first()
    )


def invitation_url(token: str) -> str:
    """The site path of an invitation's link (the e-mail makes it absolute)."""
    return reverse("invitations:invitation", kwargs={"token": token})


def normalise_email(email) -> str:
    """The address as it is stored and matched: trimmed, lower case. ValidationError unless it
    is an e-mail address."""
    email = (email or "").strip().lower() if isinstance(email, str) else ""
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": BAD_EMAIL}) from None
    return email


def _check_start_date(start_date: datetime.date | None, board_role) -> None:
    if board_role is None:
        if start_date is not None:
            raise ValidationError({"start_date": START_DATE_WITHOUT_ROLE})
        return
    if start_date is None:
        raise ValidationError({"start_date": START_DATE_NEEDED})
    today = timezone.localdate()
    earliest = today - datetime.timedelta(days=START_DATE_PAST_DAYS)
    latest = today + datetime.timedelta(days=START_DATE_FUTURE_DAYS)
    if not earliest <= start_date <= latest:
        raise ValidationError(
            {
                "start_date": f"Enter a start date between {format_date(earliest, 'j F Y')} "
                f"and {format_date(latest, 'j F Y')}"
            }
        )


def _board_role(pack: InductionPack, board_role_id):
    if board_role_id is None:
        return None
    found = pack.trust.packs.filter(board_role_id=board_role_id).select_related("board_role")
    board_pack = found.first()
    if board_pack is None:
        raise ValidationError(
            {"board_role": "Choose a board role this trust has an induction pack for"}
        )
    return board_pack.board_role


def _check_within_daily_limit(user) -> None:
    limit = settings.INVITATIONS_PER_EDITOR_PER_DAY
    since = timezone.now() - datetime.timedelta(days=1)
    if Invitation.objects.filter(invited_by=user, created_at__gt=since).count() >= limit:
        raise ValidationError(
            f"You have sent {limit} invitations in the last 24 hours, the most one person may "
            "send in a day. Try again tomorrow, or ask another editor of the trust."
        )


def _check_not_invited_or_member(pack: InductionPack, email: str, role: str) -> None:
    trust = pack.trust
    waiting = trust.invitations.pending().filter(email=email).first()
    if waiting is not None:
        sent = format_date(timezone.localtime(waiting.created_at), "j F Y")
        raise ValidationError(
            {
                "email": f"{email} was invited on {sent} and has not answered yet. Revoke that "
                "invitation first to send a new one"
            }
        )
    if trust.memberships.filter(user__email__iexact=email, role=role).exists():
        raise ValidationError({"email": f"{email} is {ROLE_WORDS[role]} of this trust already"})


def invite(
    *,
    pack: InductionPack,
    user,
    email: str,
    role: str,
    board_role_id: int | None = None,
    start_date: datetime.date | None = None,
) -> Invitation:
    """As an editor (`user`) of the pack's trust, invite `email` to join it as `role` (and, for
    someone being inducted, into the board role `board_role_id` from `start_date`); the
    invitation's link is e-mailed once this commits, and the invitation is in the audit trail.

    PermissionDenied unless `user` may edit the pack. ValidationError (on the field it is
    about, where there is one) for a bad address or role, a board role the trust has no pack
    for, a start date missing, without a board role or far from today, an address already
    invited or already holding the role, or an editor over INVITATIONS_PER_EDITOR_PER_DAY.
    """
    pack.check_can_edit(user)
    email = normalise_email(email)
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose what they can do in the portal"})
    board_role = _board_role(pack, board_role_id)
    _check_start_date(start_date, board_role)
    trust = pack.trust
    token = new_token()
    with transaction.atomic():
        # One invitation at a time per trust: two editors inviting the same address at once
        # make one invitation. (An editor of several trusts inviting into each at the same
        # moment could pass the daily limit by one per trust: a bound, not a hole.)
        Trust.objects.select_for_update().filter(pk=trust.pk).values_list("pk").first()
        _check_within_daily_limit(user)
        _check_not_invited_or_member(pack, email, role)
        now = timezone.now()
        invitation = Invitation.objects.create(
            trust=trust,
            email=email,
            role=role,
            board_role=board_role,
            start_date=start_date,
            token_hash=hash_of(token),
            invited_by=user,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
        )
        detail = f"Invited {email} as {invitation.role_words}"
        if board_role is not None:
            detail += f", {induction_words(board_role, start_date)}"
        trust.record(user, AuditEvent.Action.INVITATION_SENT, detail)
        transaction.on_commit(lambda: _queue_email(invitation, token))
    return invitation


def _queue_email(invitation: Invitation, token: str) -> None:
    """Queue the invitation's e-mail. Rendered here, where the token is: the database keeps
    only its hash, so no task could make the link later."""
    try:
        email = emails.invitation(
            invitation=invitation, link=emails.absolute_url(invitation_url(token))
        )
        send_email.enqueue(
            subject=email.subject,
            body=email.body,
            html_body=email.html_body,
            to=[invitation.email],
        )
    except Exception:
        logger.exception("Could not queue the e-mail of invitation %s.", invitation.pk)


def revoke(*, pack: InductionPack, user, invitation: Invitation) -> None:
    """As an editor (`user`) of the pack's trust, stop a waiting invitation of that trust from
    working, and write it to the audit trail. PermissionDenied unless `user` may edit the pack;
    ValidationError if the invitation is of another trust, or was accepted, revoked or expired
    already."""
    pack.check_can_edit(user)
    if invitation.trust_id != pack.trust_id:
        raise ValidationError("This invitation is not one of this trust's.")
    with transaction.atomic():
        revoked = (
            Invitation.objects.pending()
            .filter(pk=invitation.pk)
            .update(revoked_at=timezone.now(), revoked_by=user)
        )
        invitation.refresh_from_db()
        if not revoked:
            raise ValidationError(
                f"The invitation of {invitation.email} is "
                f"{invitation.get_status_display().lower()} already: there is nothing to revoke."
            )
        sent = format_date(timezone.localtime(invitation.created_at), "j F Y")
        pack.trust.record(
            user,
            AuditEvent.Action.INVITATION_REVOKED,
            f"Revoked the invitation of {invitation.email} sent on {sent}",
        )


def refusal_for(invitation: Invitation, user) -> Refusal | None:
    """Why `user` (signed in) may not accept `invitation` now; None if they may."""
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return Refusal.USED
    if status == Invitation.Status.REVOKED:
        return Refusal.REVOKED
    if status == Invitation.Status.EXPIRED:
        return Refusal.EXPIRED
    if not user.is_active:
        return Refusal.INACTIVE
    if user.pk == invitation.invited_by_id:
        return Refusal.OWN_INVITATION
    if (user.email or "").strip().lower() != invitation.email:
        return Refusal.WRONG_EMAIL
    return None


def _join(trust, user, invitation: Invitation) -> None:
    """Give `user` the invitation's role in `trust`. A board role and start date it carries go
    on every membership they hold there, as the dashboard sets them; without one, a new
    membership carries the induction their others have."""
    held = list(trust.memberships.filter(user=user).select_related("board_role"))
    if invitation.board_role_id is not None:
        induction = (invitation.board_role, invitation.start_date)
    else:
        current = next((m for m in held if m.board_role_id is not None), None)
        induction = (current.board_role, current.start_date) if current else (None, None)
    # Created, and saved one by one below rather than updated in bulk, so that a start date
    # welcomes them (the notifications app's receiver on Membership, which sends one welcome).
    Membership.objects.get_or_create(
        user=user,
        trust=trust,
        role=invitation.role,
        defaults={"board_role": induction[0], "start_date": induction[1]},
    )
    for membership in held:
        if (membership.board_role, membership.start_date) != induction:
            membership.board_role, membership.start_date = induction
            membership.save(update_fields=["board_role", "start_date"])


def accept_invitation(invitation: Invitation, user) -> Invitation:
    """Make `user`, signed in by whatever means, a member of the invitation's trust with its
    role, board role and start date (on every membership they hold there, as the dashboard
    sets them), and write it to the audit trail. Returns the invitation, now accepted.

    InvitationRefused if the invitation was used, revoked or has expired, if `user`'s e-mail
    address is not the one invited (compared in lower case), if they sent it themselves, or if
    their account is switched off. Two accepts at once: one succeeds, the other is refused as
    used.
    """
    if not getattr(user, "is_authenticated", False):
        raise ValueError("accept_invitation needs a signed-in user.")
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("trust", "board_role", "invited_by")
            .get(pk=invitation.pk)
        )
        refusal = refusal_for(locked, user)
        if refusal is not None:
            raise InvitationRefused(refusal)
        now = timezone.now()
        # The lock makes the second of two accepts wait and then see this one; where the
        # database has no row locks (SQLite serialises writers instead) this conditional
        # update is what lets exactly one through.
        if (
            not Invitation.objects.pending()
            .filter(pk=locked.pk)
            .update(accepted_at=now, accepted_by=user)
        ):
            raise InvitationRefused(Refusal.USED)
        locked.accepted_at, locked.accepted_by = now, user
        trust = locked.trust
        _join(trust, user, locked)
        inviter = name_of(locked.invited_by) if locked.invited_by else "an editor"
        detail = f"{name_of(user)} ({locked.email}) joined as {locked.role_words}"
        if locked.board_role_id is not None:
            detail += f", {induction_words(locked.board_role, locked.start_date)}"
        trust.record(user, AuditEvent.Action.INVITATION_ACCEPTED, f"{detail}, invited by {inviter}")
    trust.forget_roles(user)
    return locked
