"""Site-wide pages: home, accessibility statement and the NHS-styled error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from induction.models import InductionPack


def home(request):
    """The start page, listing the induction packs the visitor may read."""
    packs = InductionPack.objects.for_user(request.user).with_versions().order_by("trust__name")
    return render(request, "home.html", {"packs": list(packs)})


def accessibility(request):
    return render(request, "accessibility.html")


def page_not_found(request, exception):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors here: whatever broke the request may break them too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
