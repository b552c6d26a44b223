"""The search page: a form and, once words are given, the results the user may read."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from page_cache.policy import PRIVATE_REVALIDATED

from .searching import RESULTS_PER_GROUP, search
from .text import MAX_QUERY_CHARACTERS, MAX_TERMS, clean_text


@require_safe
def search_page(request):
    """`/search/?q=words`, optionally `&earlier=yes` for earlier pack versions too.

    Any input is answered with a page, never an error: what was typed is reduced to plain
    words (search/text.py), and the page says when some of it was left out.
    """
    typed = request.GET.get("q", "")
    include_earlier = request.GET.get("earlier") == "yes"
    outcome = search(request.user, typed, include_earlier_versions=include_earlier)
    response = render(
        request,
        "search/results.html",
        {
            "typed": clean_text(typed[: MAX_QUERY_CHARACTERS * 2])[:MAX_QUERY_CHARACTERS],
            "was_asked": "q" in request.GET,
            "outcome": outcome,
            "terms": outcome.terms,
            "results_per_group": RESULTS_PER_GROUP,
            "max_terms": MAX_TERMS,
            "max_characters": MAX_QUERY_CHARACTERS,
            "breadcrumbs": [{"label": "Home", "url": reverse("home")}],
        },
    )
    # Results can include members-only packs: like their pages, kept only privately and
    # checked again each time.
    response["Cache-Control"] = PRIVATE_REVALIDATED
    return response
