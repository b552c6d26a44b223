"""Public explainer views (being built: see issue 3)."""

from django.http import Http404


def _not_yet(request, **kwargs):
    raise Http404


trust_list = pack_read = version_read = _not_yet
