"""Who reaches the journey's pages. They build on the induction app's `pack_view`, so a pack is
found through the same `for_user()` scoping as every other page, and add one rule: these pages
are about the trust's own people, so only its members (and platform staff, who are refused
with the offer to act as an editor where that would help) get past the door. A member of
another trust gets the same 404 as for a trust that does not exist, even for a public pack.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from induction.forms.staff_access import StaffAccessForm
from induction.views.access import Access, pack_view
from induction.views.navigation import act_as_editor_url
from page_cache.policy import NOT_STORED


def members_pack_view(view):
    """Decorate a view taking (request, pack, **kwargs) for the trust's members and platform
    staff only. Anonymous visitors are sent to sign in; the answer is never stored."""

    @pack_view(Access.READ)
    @wraps(view)
    def wrapper(request, pack, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (pack.is_member(user) or user.is_staff):
            raise Http404("No induction records you can see here.")
        response = view(request, pack, **kwargs)
        response["Cache-Control"] = NOT_STORED
        return response

    return wrapper


def refuse(request, pack, reason: str, *, offer_staff_access: bool = False, status=403):
    """The induction app's refusal page, saying why; platform staff may be offered the audited
    step of acting as an editor when that is what the page needs."""
    context = {"pack": pack, "trust": pack.trust, "reason": reason}
    if offer_staff_access and request.user.is_staff:
        context["staff_access_form"] = StaffAccessForm(action=act_as_editor_url(pack))
    return render(request, "induction/forbidden.html", context, status=status)
