"""Site-wide pages: home, accessibility statement and the NHS-styled error pages."""

from django.core.exceptions import RequestDataTooBig
from django.db.models import Exists, OuterRef
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from induction.models import ApprovalRequest, InductionPack, Membership
from journey.progress import records_for_user
from page_cache.policy import mark_public

# The home page lists this many packs, the visitor's own trusts' first; the trust list pages
# through them all. With 250 trusts the home page stays as short as with two.
HOME_PACKS = 10


def home(request):
    """The start page, listing induction packs the visitor may read (their own trusts' first,
    at most HOME_PACKS, with a link to all of them) and, for someone being inducted, their
    checklist progress; approvers see the drafts waiting for them."""
    readable = InductionPack.objects.for_user(request.user)
    if request.user.is_authenticated:
        own = Membership.objects.filter(trust=OuterRef("trust"), user=request.user)
        readable = readable.annotate(own=Exists(own)).order_by("-own", "trust__name", "pk")
    else:
        readable = readable.order_by("trust__name", "pk")
    packs = list(readable.with_versions()[: HOME_PACKS + 1])
    inductions = records_for_user(request.user)
    waiting = list(ApprovalRequest.objects.waiting_for(request.user))
    response = render(
        request,
        "home.html",
        {
            "packs": packs[:HOME_PACKS],
            # Counted only when there are more than the page shows.
            "pack_count": readable.count() if len(packs) > HOME_PACKS else len(packs),
            "inductions": inductions,
            "waiting_for_approval": waiting,
        },
    )
    return mark_public(request, response)


def accessibility(request):
    return render(request, "accessibility.html")


def bad_request(request, exception):
    """A request Django refused to read: most often a form far larger than any page allows."""
    too_large = isinstance(exception, RequestDataTooBig)
    return render(request, "errors/400.html", {"too_large": too_large}, status=400)


def permission_denied(request, exception):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token: usually a session that expired mid-edit."""
    return render(request, "errors/csrf.html", status=403)


def page_not_found(request, exception):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors here: whatever broke the request may break them too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
