"""PDF downloads of published versions (issue 4 replaces this with the stored-file views)."""

from django.http import Http404


def version_pdf(request, slug, number):
    raise Http404("The PDF of this version is not yet available.")


def latest_pdf(request, slug):
    raise Http404("The PDF of this version is not yet available.")
