"""Edits kept across a sign-in, so that an editor signed out before saving loses nothing.

An editor may press Save after their session ended: signed out in another tab, or by the
session limits (mdportal/session_limits.py). A page that keeps edits (`pack_view(…,
keeps_edits=True)`) then puts what was posted, without the CSRF token, in the visitor's new
anonymous session under the page's path and sends them to sign in, back to that page.
Django's `login()` keeps an anonymous session's data when it cycles the session key, so the
same page, opened again by someone allowed to edit it, shows its form filled with what was
kept: bound, never saved. Saving takes a fresh POST with a valid CSRF token, and the form
still carries the revision it was loaded with, so a colleague's save in between gives the
usual conflict page.

What is kept is bounded (MAX_PAGES pages of MAX_BYTES each); beyond that nothing more is kept
and the person is told. Access is never decided here: `pack_view` runs its checks before a
view takes the kept data, and drops it for anyone who may not edit the page.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.urls import Resolver404, resolve

SESSION_KEY = "induction_kept_edits"
# The view attribute by which the session limits know a page keeps what is posted to it.
VIEW_ATTRIBUTE = "keeps_edits"
MAX_PAGES = 5
MAX_BYTES = 200_000
# Never kept: the token belongs to the form as it was served, not to what the person typed.
LEFT_OUT = {"csrfmiddlewaretoken"}

NOT_KEPT = (
    "Your changes could not be kept while you sign in, because there were too many of them. "
    "Sign in, then make your changes again."
)
NO_LONGER_THERE = (
    "The changes you had not saved could not be shown, because the page you were editing is "
    "no longer there. Nothing was saved."
)


def mark(view):
    """Mark `view` as a page that keeps what is posted to it by someone signed out."""
    setattr(view, VIEW_ATTRIBUTE, True)
    return view


def posted_to_keeping_page(request) -> bool:
    """Whether the request is a POST to a page that keeps edits (for the session limits,
    which sign people out before the view is resolved)."""
    if request.method != "POST":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, VIEW_ATTRIBUTE, False)


def keep_and_sign_in(request):
    """Keep what was posted to this page, then send the visitor to sign in and come back to
    it; if it cannot be kept, say so on the sign-in page."""
    if not _keep(request):
        messages.warning(request, NOT_KEPT)
    return redirect_to_login(request.path)


def _keep(request) -> bool:
    data = {name: values for name, values in request.POST.lists() if name not in LEFT_OUT}
    kept = dict(request.session.get(SESSION_KEY, {}))
    # What was kept earlier for this page is older than what was just typed: never show it.
    kept.pop(request.path, None)
    fits = len(json.dumps(data).encode()) <= MAX_BYTES and len(kept) < MAX_PAGES
    if fits:
        kept[request.path] = data
    _store(request, kept)
    return fits


def waiting(request, path: str) -> bool:
    """Whether changes to the page at `path` are kept in this session (for the sign-in page)."""
    return path in request.session.get(SESSION_KEY, {})


def take(request) -> QueryDict | None:
    """The data kept for this page, removed from the session, or None. Only a GET (the page
    opened again) takes it: a POST is a fresh submission and leaves it be."""
    if request.method != "GET" or not waiting(request, request.path):
        return None
    kept = dict(request.session[SESSION_KEY])
    pairs = [(name, value) for name, values in kept.pop(request.path).items() for value in values]
    _store(request, kept)
    return QueryDict(urlencode(pairs))


def discard(request) -> bool:
    """Drop what was kept for this page; whether there was anything."""
    kept = dict(request.session.get(SESSION_KEY, {}))
    if kept.pop(request.path, None) is None:
        return False
    _store(request, kept)
    return True


def _store(request, kept):
    if kept:
        request.session[SESSION_KEY] = kept
    else:
        request.session.pop(SESSION_KEY, None)
