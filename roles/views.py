"""Public explainer views (being built: see issue 2)."""

from django.http import Http404


def _not_yet(request, **kwargs):
    raise Http404


role_detail = for_neds = source_list = source_detail = glossary = _not_yet
