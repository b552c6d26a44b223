"""Who a verified ID token signs in, and with which roles: the one place where an account in a
trust's tenant becomes a portal user.

`sign_in(sign_on=…, claims=…)` takes the claims of an ID token whose signature, issuer,
audience, expiry and nonce have been checked (sso/backends.py) and:

1. refuses a token from another tenant (`tid`), an e-mail address the tenant did not verify
   (`email` missing, or `email_verified` false), or one outside the trust's e-mail domains;
2. finds the user: by the link of an earlier sign-in (tenant and `oid`, else `sub`), else by
   the e-mail address, compared without case (never by a name). An account linked to another
   account of the tenant, several accounts with the address, platform staff and switched-off
   accounts are refused;
3. admits them: a member of the trust comes in; anyone else with a waiting invitation to the
   trust accepts it (journey.invitations.accept_invitation), made an account first if they
   have none; else, if the trust allows just-in-time accounts, they become a reader (with an
   account made for them, its username their e-mail address); else they are refused, told if
   their invitation has expired;
4. links the user to the tenant's account, keeping the `amr` claim of this sign-in;
5. re-reads the group mapping: a mapped group gives its role, and a role the mapping gave is
   taken away once the person is no longer in any group mapped to it. Roles given any other
   way are never touched. Each change is in the trust's audit trail.

All of it happens in one transaction: a refusal leaves nothing behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from induction.models import AuditEvent, Membership
from journey.invitations import InvitationRefused, accept_invitation, normalise_email
from journey.members import name_of, roles_words

from .models import SignOnIdentity, TrustSignOn
from .refusals import Refusal, SignInRefused

logger = logging.getLogger(__name__)

USERNAME_LENGTH = 150


@dataclass
class SignInOutcome:
    """Who signed in, and what this sign-in changed of their roles in the trust."""

    user: object
    joined: bool = False
    roles_granted: set[str] = field(default_factory=set)
    roles_removed: set[str] = field(default_factory=set)


def sign_in(*, sign_on: TrustSignOn, claims: dict) -> SignInOutcome:
    """The user the verified `claims` sign in to `sign_on`'s trust, admitted, linked and
    given their mapped roles; SignInRefused says why not."""
    _check_tenant(sign_on, claims)
    email = _verified_email(sign_on, claims)
    subject = str(claims.get("oid") or claims.get("sub") or "")
    if not subject:
        raise SignInRefused(Refusal.PROVIDER_ERROR)
    trust = sign_on.trust
    with transaction.atomic():
        identity = (
            SignOnIdentity.objects.select_related("user")
            .filter(trust=trust, tenant_id=sign_on.tenant_id, subject=subject)
            .first()
        )
        user = identity.user if identity is not None else _user_with_email(sign_on, email)
        if user is not None:
            _check_may_sign_in(user, email)
        user, joined = _admit(sign_on, user, email, claims)
        identity = _link(sign_on, identity, user, subject, email, claims)
        granted, removed = _apply_group_mapping(sign_on, identity, claims)
    trust.forget_roles(user)
    return SignInOutcome(user=user, joined=joined, roles_granted=granted, roles_removed=removed)


def _check_tenant(sign_on: TrustSignOn, claims: dict) -> None:
    if str(claims.get("tid") or "").strip().lower() != sign_on.tenant_id:
        raise SignInRefused(Refusal.WRONG_TENANT)


def _verified_email(sign_on: TrustSignOn, claims: dict) -> str:
    """The token's e-mail address, in lower case. Entra ID sends `email` only where the
    tenant verified it and seldom sends `email_verified`, so an address counts as verified
    unless the provider says it is not. `preferred_username` and `upn` are never used: they
    name a sign-in, which need not be a mailbox the person owns."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") in (False, "false"):
        raise SignInRefused(Refusal.UNVERIFIED_EMAIL)
    try:
        email = normalise_email(email)
    except ValidationError:
        raise SignInRefused(Refusal.UNVERIFIED_EMAIL) from None
    if not sign_on.allows_email(email):
        raise SignInRefused(Refusal.EMAIL_NOT_THE_TRUSTS, email=email)
    return email


def _user_with_email(sign_on: TrustSignOn, email: str):
    """The one user with the address (None for none), unless they are linked to another
    account of this tenant already."""
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise SignInRefused(Refusal.SEVERAL_ACCOUNTS, email=email)
    if not users:
        return None
    user = users[0]
    if SignOnIdentity.objects.filter(
        trust=sign_on.trust, user=user, tenant_id=sign_on.tenant_id
    ).exists():
        # Linked to another account of the tenant (the link by this account's oid was not
        # found): whoever now has this address in the tenant is not that person.
        raise SignInRefused(Refusal.ACCOUNT_LINKED_ELSEWHERE, email=email)
    return user


def _check_may_sign_in(user, email: str) -> None:
    if user.is_staff or user.is_superuser:
        # Platform staff can read every trust's packs: a tenant must not be able to vouch for
        # them. They sign in with their password (and its second factor).
        raise SignInRefused(Refusal.PLATFORM_STAFF)
    if not user.is_active:
        raise SignInRefused(Refusal.ACCOUNT_SWITCHED_OFF, email=email)


def _admit(sign_on: TrustSignOn, user, email: str, claims: dict) -> tuple[object, bool]:
    """The user, a member of the trust by now, and whether this sign-in made them one."""
    trust = sign_on.trust
    if user is not None and trust.memberships.filter(user=user).exists():
        return user, False
    invitation = trust.invitations.pending().filter(email=email).order_by("-created_at").first()
    if invitation is not None:
        user = user or _new_user(email, claims)
        try:
            accept_invitation(invitation, user)
        except InvitationRefused as refused:
            raise SignInRefused(
                Refusal.INVITATION_REFUSED, reason=refused.refusal.message
            ) from None
        return user, True
    if sign_on.allow_just_in_time_accounts:
        user = user or _new_user(email, claims)
        Membership.objects.create(user=user, trust=trust, role=Membership.Role.READER)
        trust.record(
            user,
            AuditEvent.Action.MEMBER_ROLES_CHANGED,
            f"{name_of(user)} ({email}): reader (was: no role), joined at their first single "
            "sign-on (the trust allows just-in-time accounts)",
        )
        return user, True
    expired = (
        trust.invitations.filter(
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )
    if expired is not None:
        until = format_date(timezone.localtime(expired.expires_at), "j F Y")
        raise SignInRefused(Refusal.INVITATION_EXPIRED, date=until)
    raise SignInRefused(Refusal.NO_ACCOUNT, email=email)


def _new_user(email: str, claims: dict):
    """An account for someone signing in for the first time: their e-mail address is their
    username (with a number after it in the rare case that it is someone else's username),
    their name as the tenant gives it, and no password."""
    users = get_user_model().objects
    base = email[:USERNAME_LENGTH]
    username, number = base, 2
    while users.filter(username__iexact=username).exists():
        suffix = f"-{number}"
        username, number = base[: USERNAME_LENGTH - len(suffix)] + suffix, number + 1
    first_name = str(claims.get("given_name") or "")
    last_name = str(claims.get("family_name") or "")
    if not (first_name or last_name):
        first_name = str(claims.get("name") or "")
    return users.create_user(
        username, email=email, first_name=first_name[:150], last_name=last_name[:150]
    )


def _link(sign_on, identity, user, subject: str, email: str, claims: dict) -> SignOnIdentity:
    """Keep the link of `user` to the tenant's account, with this sign-in's address and `amr`.
    A link to a trust's earlier tenant is moved to this one."""
    if identity is None:
        identity = SignOnIdentity.objects.filter(trust=sign_on.trust, user=user).first()
    if identity is None:
        identity = SignOnIdentity(trust=sign_on.trust, user=user)
    amr = claims.get("amr")
    identity.tenant_id = sign_on.tenant_id
    identity.subject = subject
    identity.email = email
    identity.last_amr = [str(method) for method in amr] if isinstance(amr, list) else []
    identity.last_signed_in_at = timezone.now()
    identity.save()
    return identity


def _groups(claims: dict) -> set[str]:
    groups = claims.get("groups")
    if "_claim_names" in claims or claims.get("hasgroups"):
        # Too many groups for the token (Entra ID's "overage"): the groups would have to be
        # read from Microsoft Graph. Treated as none, so that no role outlives its group.
        logger.warning("An ID token had too many groups to list them; roles from groups removed.")
    if not isinstance(groups, list):
        return set()
    return {str(group).strip().lower() for group in groups}


def _apply_group_mapping(sign_on, identity: SignOnIdentity, claims: dict):
    """Give the roles of the person's mapped groups, and take away those the mapping gave
    before that no group gives now. Returns (roles granted, roles removed)."""
    mappings = list(sign_on.group_mappings.all())
    given_before = set(identity.roles_from_groups)
    if not mappings and not given_before:
        return set(), set()
    trust, user = sign_on.trust, identity.user
    groups = _groups(claims)
    wanted = {mapping.role for mapping in mappings if mapping.group_id in groups}
    memberships = list(trust.memberships.filter(user=user))
    held = {membership.role for membership in memberships}
    granted = wanted - held
    removed = (given_before - wanted) & held
    kept = memberships[0] if memberships else None
    for role in sorted(granted):
        Membership.objects.create(
            user=user,
            trust=trust,
            role=role,
            board_role=kept.board_role if kept else None,
            start_date=kept.start_date if kept else None,
        )
    if removed:
        trust.memberships.filter(user=user, role__in=removed).delete()
    identity.roles_from_groups = sorted((given_before & wanted) | granted)
    identity.save(update_fields=["roles_from_groups"])
    if granted or removed:
        now_held = (held | granted) - removed
        trust.record(
            user,
            AuditEvent.Action.MEMBER_ROLES_CHANGED,
            f"{name_of(user)}: {roles_words(now_held)} (was: {roles_words(held)}), from the "
            "trust's Microsoft Entra ID groups at single sign-on",
        )
    return granted, removed
