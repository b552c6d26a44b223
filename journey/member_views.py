"""An editor's pages about one member of the trust: their board role and start date, their
roles, and removing them. Members of other trusts are a 404: the member is looked up among
this trust's memberships only. The changes are journey/members.py's, which audits them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from induction.forms.base import attach_error
from nhsuk_forms.binding import posted

from . import members
from .access import members_pack_view, refuse
from .forms import NOT_INDUCTED, MemberInductionForm, MemberRolesForm
from .navigation import dashboard_crumbs, dashboard_url, member_crumbs, member_url

EDITORS_ONLY = "Only the trust's editors can change a member's induction, roles or membership."


def _member_or_404(pack, user_id):
    """The trust's member with this id and their memberships here, else a 404."""
    memberships = list(
        pack.trust.memberships.filter(user_id=user_id).select_related("user", "board_role")
    )
    if not memberships:
        raise Http404("No member of this trust with that number.")
    return memberships[0].user, memberships


def _refusal(request, pack):
    if pack.can_edit(request.user):
        return None
    return refuse(request, pack, EDITORS_ONLY, offer_staff_access=True)


@require_http_methods(["GET", "POST"])
@members_pack_view
def member_induction(request, pack, user_id):
    """An editor sets a member's board role and start date; the page shows their roles, with
    the ways to change them or remove the member."""
    if refused := _refusal(request, pack):
        return refused
    member, memberships = _member_or_404(pack, user_id)
    packs = list(pack.trust.packs.select_related("board_role").order_by("board_role__order"))
    current = next((m for m in memberships if m.board_role_id), None)
    initial = {
        "board_role": str(current.board_role_id) if current else NOT_INDUCTED,
        "start_date": current.start_date if current else None,
    }
    form = MemberInductionForm(request.POST or None, initial=initial, packs=packs)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["board_role"]
        try:
            members.set_induction(
                pack=pack,
                member=member,
                user=request.user,
                board_role_id=int(role) if role else None,
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, f"Saved the induction of {members.name_of(member)}.")
            return redirect(dashboard_url(pack))
    return render(
        request,
        "journey/member_induction.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "member": member,
            "roles": members.roles_words(m.role for m in memberships),
            "is_self": member.pk == request.user.pk,
            "form": form,
            "breadcrumbs": dashboard_crumbs(pack),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@members_pack_view
def member_roles(request, pack, user_id):
    """An editor chooses a member's roles in the trust (not their own)."""
    if refused := _refusal(request, pack):
        return refused
    member, memberships = _member_or_404(pack, user_id)
    if member.pk == request.user.pk:
        return refuse(request, pack, members.OWN_ROLES)
    initial = {"roles": [membership.role for membership in memberships]}
    form = MemberRolesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = members.set_roles(
                pack=pack, member=member, user=request.user, roles=form.cleaned_data["roles"]
            )
        except ValidationError as refusal:
            attach_error(form, refusal)
        else:
            name = members.name_of(member)
            if changed:
                messages.success(request, f"Saved the roles of {name}.")
            else:
                messages.info(request, f"Nothing changed: {name} already had those roles.")
            return redirect(member_url(pack, member.pk))
    return render(
        request,
        "journey/member_roles.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "member": member,
            "form": form,
            "breadcrumbs": member_crumbs(pack, member),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@members_pack_view
def member_remove(request, pack, user_id):
    """Ask to confirm, then remove a member from the trust (every role they hold there)."""
    if refused := _refusal(request, pack):
        return refused
    member, memberships = _member_or_404(pack, user_id)
    error = None
    if request.method == "POST":
        try:
            members.remove_member(pack=pack, member=member, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            name = members.name_of(member)
            messages.success(request, f"Removed {name} from {pack.trust.name}.")
            if member.pk == request.user.pk and not pack.can_edit(request.user):
                return redirect("home")
            return redirect(dashboard_url(pack))
    return render(
        request,
        "journey/member_remove.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "member": member,
            "roles": members.roles_words(m.role for m in memberships),
            "is_self": member.pk == request.user.pk,
            "error": error,
            "breadcrumbs": member_crumbs(pack, member),
        },
        status=400 if error else 200,
    )
