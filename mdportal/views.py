"""Site-wide pages: home, accessibility statement and the NHS-styled error pages."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from induction.models import ApprovalRequest, InductionPack
from journey.progress import records_for_user


def home(request):
    """The start page, listing the induction packs the visitor may read and, for someone being
    inducted, their checklist progress; approvers see the drafts waiting for them."""
    packs = InductionPack.objects.for_user(request.user).with_versions().order_by("trust__name")
    inductions = records_for_user(request.user)
    waiting = list(ApprovalRequest.objects.waiting_for(request.user))
    return render(
        request,
        "home.html",
        {"packs": list(packs), "inductions": inductions, "waiting_for_approval": waiting},
    )


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
