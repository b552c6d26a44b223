"""How every induction page finds its pack, so that access is decided in one place.

Packs are always looked up through the `for_user()` querysets, so a pack the user may not see
is a 404 whatever the URL: another trust's pack, section or version is never shown or touched.
Anonymous visitors to a pack they might see once signed in are sent to sign in instead (the
reading pages tell them the pack is for the trust's members and how to get access).
Platform staff find every pack but may only read it: a management page answers them with the
refusal page offering the audited "act as an editor" step (induction/staff_access.py), whose
own pages are decorated by `staff_pack_view`.

The same decorator says how browsers and shared caches may keep each page, from the access it
needs: a members-only pack's pages only privately and checked again each time (a computer
shared on a ward must not show them from its cache after sign-out), and the editor, publish,
restore and audit pages not at all.
"""

import enum
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse

from page_cache.policy import NOT_STORED, PRIVATE_REVALIDATED, PUBLIC, PUBLIC_IMMUTABLE, mark_public

from .. import kept_edits
from ..forms.staff_access import StaffAccessForm
from ..models import InductionPack, Trust
from ..staff_access import STAFF_ONLY
from .navigation import act_as_editor_url, edit_url


class Access(enum.Enum):
    """What a page needs the user to be allowed to do with the pack."""

    READ = "read"  # read published versions: public packs, members, staff
    # The rest need a role in the trust: a membership, or staff acting as an editor.
    EDIT = "edit"  # change the draft: editors
    DRAFT = "draft"  # see the draft and publish page: editors and approvers
    AUDIT = "audit"  # read the audit trail: editors


# Why each kind of page was refused to a member of the trust, in words for them.
REFUSALS = {
    Access.EDIT: "Only the trust's editors can change this pack.",
    Access.DRAFT: "Only the trust's editors and approvers can see the draft of this pack.",
    Access.AUDIT: "Only the trust's editors can read the audit trail of this pack.",
}


def _pack_for(user, slug, access):
    """The trust's pack if the user can find it at all, else None (the caller answers 404).

    A trust has one pack per board role; the URL names the trust only, so it serves the first
    role in the national order, which is the Medical Director.
    """
    if access is Access.READ:
        packs = InductionPack.objects.for_user(user)
    else:
        # Management pages exist only for the trust's own members, and for platform staff
        # (who are refused with the offer to act as an editor): anyone else, even if the pack
        # is public, gets the same 404 as for a trust that does not exist.
        packs = InductionPack.objects.filter(trust__in=Trust.objects.for_user(user))
    return (
        packs.filter(trust__slug=slug)
        .select_related("trust", "board_role")
        .order_by("board_role__order", "pk")
        .first()
    )


def section_or_404(pack, section_id):
    """The section of `pack` with this id, else a 404: looked up within the pack the user was
    allowed, so another trust's section id is not found here."""
    return get_object_or_404(pack.sections.select_related("updated_by"), pk=section_id)


def _allowed(pack, user, access):
    if access is Access.READ:
        return True
    if access is Access.DRAFT:
        return pack.can_view_draft(user)
    return pack.can_edit(user)


def pack_view(access: Access, *, members_only_notice: bool = False, keeps_edits: bool = False):
    """Decorate a view taking (request, pack, **kwargs) so it gets the pack the URL names.

    Anonymous visitors who cannot see the pack are sent to sign in, whether or not the trust
    exists, or with `members_only_notice` (the reading pages) shown a page saying the pack is
    for the trust's members and how to get access, the same page whether or not the trust
    exists; a signed-in user who cannot find the pack gets a 404; a member of the trust
    without the right role gets a 403 page that says who can do this, and platform staff one
    that offers to let them act as an editor. Every answer about a found pack carries
    `Cache-Control` (see `cache_control`), unless the view set its own.

    With `keeps_edits` (the editing pages), what someone no longer signed in posts is kept
    for them while they sign in (induction/kept_edits.py), and dropped again for anyone who
    then opens the page without being allowed to edit it.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, **kwargs):
            user = request.user
            if keeps_edits and not user.is_authenticated and request.method == "POST":
                # Signed out before saving. Kept before the pack is looked up, which finds
                # nothing for anonymous visitors: the answer is the same whether or not the
                # trust exists, and the page decides who sees the data once signed in.
                return kept_edits.keep_and_sign_in(request)
            pack = _pack_for(user, slug, access)
            if pack is None:
                # Anonymous visitors are sent to sign in whether or not the trust exists:
                # answering a 404 only for unknown trusts would tell an outsider which
                # members-only trusts exist.
                if not user.is_authenticated:
                    if members_only_notice:
                        return _members_only_notice(request)
                    return _sign_in_then_back(request, slug, access)
                if keeps_edits:
                    kept_edits.discard(request)
                raise Http404("No induction pack you can see here.")
            if not user.is_authenticated and access is not Access.READ:
                return _sign_in_then_back(request, slug, access)
            if not _allowed(pack, user, access):
                if keeps_edits:
                    kept_edits.discard(request)
                response = render(
                    request,
                    "induction/forbidden.html",
                    _refusal_context(pack, user, access),
                    status=403,
                )
            elif keeps_edits:
                response = _view_keeping_edits(view, request, pack, **kwargs)
            else:
                response = view(request, pack, **kwargs)
            policy = cache_control(pack, access)
            if policy is None:
                # A public pack's reading page: a numbered version never changes.
                immutable = "number" in kwargs
                return mark_public(request, response, PUBLIC_IMMUTABLE if immutable else PUBLIC)
            response.headers.setdefault("Cache-Control", policy)
            return response

        return kept_edits.mark(wrapper) if keeps_edits else wrapper

    return decorator


def _view_keeping_edits(view, request, pack, **kwargs):
    """The view; if what it edits is gone (a removed section's 404) while changes to it were
    kept, the editor is told so on the pack's editor instead of a bare 404."""
    try:
        return view(request, pack, **kwargs)
    except Http404:
        if not kept_edits.discard(request):
            raise
        messages.warning(request, kept_edits.NO_LONGER_THERE)
        return redirect(edit_url(pack))


# Where a visitor signed out before pressing a button comes back to once signed in: the page
# that has the button. A POST's own address answers only POST (a move, a removal, a publish).
PAGE_AFTER_SIGN_IN = {
    Access.READ: "induction:pack_read",
    Access.EDIT: "induction:pack_edit",
    Access.DRAFT: "induction:publish",
    Access.AUDIT: "induction:audit",
}


def _sign_in_then_back(request, slug, access):
    """Send an anonymous visitor to sign in, then back to this page, or after a POST (which
    `keeps_edits` views have kept already) to the page the button was on."""
    if request.method == "POST":
        return redirect_to_login(reverse(PAGE_AFTER_SIGN_IN[access], kwargs={"slug": slug}))
    return redirect_to_login(request.get_full_path())


def _members_only_notice(request):
    # Says nothing about the trust, not even its name: the page must read the same for a
    # members-only trust and for an address where no trust exists.
    next_page = urlencode({"next": request.get_full_path()}, safe="/")
    response = render(
        request,
        "induction/members_only.html",
        {"login_url": f"{resolve_url(settings.LOGIN_URL)}?{next_page}"},
        status=403,
    )
    response["Cache-Control"] = PRIVATE_REVALIDATED
    return response


def _refusal_context(pack, user, access):
    context = {"pack": pack, "trust": pack.trust, "reason": REFUSALS[access]}
    if user.is_staff:
        context["staff_access_form"] = StaffAccessForm(action=act_as_editor_url(pack))
    return context


def staff_pack_view(view):
    """Decorate a view of the act-as-editor step, taking (request, pack): platform staff only.

    Anonymous visitors are sent to sign in; any other signed-in user is refused (403) before
    the trust is even looked up, so the answer says nothing about which trusts exist. Staff
    get the pack a management page of the trust would serve, and the answer is never stored.
    """

    @wraps(view)
    def wrapper(request, slug):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff:
            raise PermissionDenied(STAFF_ONLY)
        pack = _pack_for(user, slug, Access.EDIT)
        if pack is None:
            raise Http404("No induction pack here.")
        response = view(request, pack)
        response["Cache-Control"] = NOT_STORED
        return response

    return wrapper


def cache_control(pack, access: Access) -> str | None:
    """How a page about `pack` needing `access` may be cached: never stored for the management
    pages, private and revalidated for a members-only pack's reading pages; None for a public
    pack's, which anyone may keep (page_cache/policy.py)."""
    if access is not Access.READ:
        return NOT_STORED
    if pack.visibility != InductionPack.Visibility.PUBLIC:
        return PRIVATE_REVALIDATED
    return None
