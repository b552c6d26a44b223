"""Invitations: the editors' pages (the trust's invitations, inviting someone, revoking an
invitation) and the invited person's (the link's page, making an account, accepting).

The editors' pages are scoped like the dashboard (`members_pack_view`): an invitation of
another trust is a 404. The link's page answers by what the token finds: a waiting invitation
shows what it offers and how to accept it; an expired or used one a page saying which and whom
to ask; a revoked one the very page an unknown token gets, so that a link says nothing more
once withdrawn. None of these pages is ever stored by a browser or a cache.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from induction.forms.base import attach_error
from induction.models import InductionPack
from nhsuk_forms.binding import posted
from page_cache.policy import NOT_STORED

from . import invitations
from .access import members_pack_view, refuse
from .forms import AccountForm, InviteForm
from .invitations import InvitationRefused, Refusal
from .models import Invitation
from .navigation import dashboard_crumbs, invitations_crumbs, invitations_url

INVITATIONS_PAGE_SIZE = 50
EDITORS_ONLY = "Only the trust's editors can invite members and see the trust's invitations."
ACCOUNT_EXISTS = (
    "An account with this e-mail address exists already. Sign in with it to accept the invitation."
)
# A local account made here is signed in directly, without a password check to throttle.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refusal(request, pack):
    if pack.can_edit(request.user):
        return None
    return refuse(request, pack, EDITORS_ONLY, offer_staff_access=True)


# --- The editors' pages ------------------------------------------------------------------


@require_safe
@members_pack_view
def invitation_list(request, pack):
    """The trust's invitations, newest first, with their status and a Revoke button for each
    one still waiting."""
    if refused := _refusal(request, pack):
        return refused
    found = pack.trust.invitations.select_related(
        "invited_by", "accepted_by", "revoked_by", "board_role"
    )
    page = Paginator(found, INVITATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "journey/invitations.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "page": page,
            "previous": _page_link(page.previous_page_number()) if page.has_previous() else None,
            "next": _page_link(page.next_page_number()) if page.has_next() else None,
            "days": _days(),
            "breadcrumbs": dashboard_crumbs(pack),
        },
    )


def _page_link(number: int) -> dict:
    return {"url": f"?page={number}", "label": f"Page {number}"}


def _days() -> str:
    """How long an invitation's link works, in days: "14"."""
    return f"{settings.INVITATION_DAYS:g}"


@require_http_methods(["GET", "POST"])
@members_pack_view
def invite(request, pack):
    """Invite someone by e-mail, with a role and, for someone being inducted, the board role
    and start date."""
    if refused := _refusal(request, pack):
        return refused
    packs = list(pack.trust.packs.select_related("board_role").order_by("board_role__order"))
    form = InviteForm(posted(request), packs=packs)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(
                pack=pack,
                user=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                board_role_id=form.board_role_id(),
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as refusal:
            attach_error(form, refusal)
        else:
            until = format_date(timezone.localtime(invitation.expires_at), "j F Y")
            messages.success(
                request,
                f"Sent an invitation to {invitation.email}. The link in it works once, until "
                f"{until}.",
            )
            return redirect(invitations_url(pack))
    return render(
        request,
        "journey/invite.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "days": _days(),
            "breadcrumbs": invitations_crumbs(pack),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@members_pack_view
def invitation_revoke(request, pack, invitation_id):
    """Stop a waiting invitation of this trust from working."""
    if refused := _refusal(request, pack):
        return refused
    invitation = get_object_or_404(pack.trust.invitations, pk=invitation_id)
    try:
        invitations.revoke(pack=pack, user=request.user, invitation=invitation)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, f"Revoked the invitation of {invitation.email}: its link no longer works."
        )
    return redirect(invitations_url(pack))


# --- The invited person's pages ----------------------------------------------------------


def _not_stored(response):
    response["Cache-Control"] = NOT_STORED
    return response


def _pack_of(invitation: Invitation) -> InductionPack | None:
    """The pack the invitation leads to: the one for its board role, else the trust's first."""
    packs = invitation.trust.packs.select_related("trust").order_by("board_role__order", "pk")
    if invitation.board_role_id is not None:
        own = packs.filter(board_role_id=invitation.board_role_id).first()
        if own is not None:
            return own
    return packs.first()


def _unusable(request, invitation: Invitation | None):
    """The page for a link that no longer works: expired or used, saying which and whom to
    ask; unknown or revoked, one page that says nothing about any invitation (404)."""
    status = invitation.status if invitation is not None else None
    if status == Invitation.Status.EXPIRED:
        kind, code = "expired", 410
    elif status == Invitation.Status.ACCEPTED:
        kind, code = "used", 410
    else:
        kind, code, invitation = "unknown", 404, None
    accepted_by_you = (
        kind == "used"
        and request.user.is_authenticated
        and invitation.accepted_by_id == request.user.pk
    )
    context = {
        "kind": kind,
        "invitation": invitation,
        "accepted_by_you": accepted_by_you,
        "pack": _pack_of(invitation) if accepted_by_you else None,
    }
    return _not_stored(render(request, "journey/invitation_unusable.html", context, status=code))


def _sign_in_url(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.path}, safe='/')}"


def _account_exists(email: str) -> bool:
    return (
        get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
    )


def _page(request, token, invitation, *, form=None, refusal=None, status=200):
    context = {
        "invitation": invitation,
        "trust": invitation.trust,
        "inviter": invitation.invited_by,
        "form": form,
        "refusal": refusal,
        "sign_in_url": _sign_in_url(request),
        "accept_url": reverse("invitations:accept", kwargs={"token": token}),
    }
    if not request.user.is_authenticated:
        context["account_exists"] = form is None
    return _not_stored(render(request, "journey/invitation.html", context, status=status))


def _joined(request, invitation: Invitation):
    messages.success(
        request, f"You have joined {invitation.trust.name} as {invitation.role_words}."
    )
    pack = _pack_of(invitation)
    return redirect(pack.get_absolute_url() if pack is not None else "home")


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link's page. Signed in, the person accepts with a button (or is told why their
    account cannot); signed out, they make a local account with the invited address, which
    signs them in and accepts, or sign in with the account they have and come back here."""
    found = invitations.invitation_for_token(token)
    if found is None or not found.is_pending:
        return _unusable(request, found)
    if request.user.is_authenticated:
        return _page(request, token, found, refusal=invitations.refusal_for(found, request.user))
    if _account_exists(found.email):
        return _page(request, token, found)
    form = AccountForm(posted(request), email=found.email, action=request.path)
    if request.method == "POST" and form.is_valid():
        try:
            user = _make_account_and_accept(found, form)
        except IntegrityError:
            # Someone made the account in the moment since the check above.
            form.add_error(None, ACCOUNT_EXISTS)
        except InvitationRefused:
            found.refresh_from_db()
            return _unusable(request, found)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return _joined(request, found)
    return _page(request, token, found, form=form, status=400 if form.errors else 200)


def _make_account_and_accept(invitation: Invitation, form: AccountForm):
    """The invited person's local account, made and used to accept in one transaction: if
    the invitation cannot be accepted, no account is left behind."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=form.cleaned_data["password"],
            first_name=form.cleaned_data["first_name"].strip(),
            last_name=form.cleaned_data["last_name"].strip(),
        )
        invitations.accept_invitation(invitation, user)
    return user


@require_POST
def accept(request, token):
    """Accept the invitation as the signed-in user. Signed out, the link's page explains how
    to sign in or make an account."""
    found = invitations.invitation_for_token(token)
    if found is None or not found.is_pending:
        return _unusable(request, found)
    if not request.user.is_authenticated:
        return redirect(reverse("invitations:invitation", kwargs={"token": token}))
    try:
        invitations.accept_invitation(found, request.user)
    except InvitationRefused as refused:
        if refused.refusal in (Refusal.USED, Refusal.REVOKED, Refusal.EXPIRED):
            found.refresh_from_db()
            return _unusable(request, found)
        return _page(request, token, found, refusal=refused.refusal, status=403)
    return _joined(request, found)
