"""The content generation: one token that changes whenever anything a public page shows changes.

Every cached public page is keyed by the generation it was rendered under (page_cache/store.py),
so a new generation makes every older page unreachable at once: nothing needs to find and delete
the pages a change touched, and no page can outlive the data it was made from.

The generation changes on every save or deletion of a model in the apps public pages read
(`roles`, and `induction` apart from the draft-only models), which covers a publication, a
change of pack visibility, a renamed trust and `loaddata` of the reference data (which saves
with `raw=True`). Code that writes with `QuerySet.update()` or `bulk_create()` sends no signal
and calls `advance()` itself.

It is advanced twice for each change: at once, and again when the transaction commits. A page
rendered from the old data by a request that had already read the first new token is then
stored under a token the commit has already replaced. The token lives in the default cache
(Redis in production, shared by every worker); if the cache loses it, a new random token
takes its place, which again only makes older pages unreachable.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "page-cache:generation"

# The apps whose data public pages show.
WATCHED_APPS = {"roles", "induction"}
# Models of those apps that only the editor, the audit trail and signed-in pages read: a draft's
# sections and their rows, memberships, staff access, audit events and approval requests.
UNSEEN_BY_PUBLIC_PAGES = {
    "section",
    "responsibilityoverlay",
    "postholder",
    "checklistitem",
    "membership",
    "staffaccess",
    "auditevent",
    "approvalrequest",
}


def current() -> str:
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, secrets.token_hex(8), timeout=None)
        token = cache.get(KEY)
    return token


def advance() -> None:
    """Make every page cached so far unreachable, now and again when the transaction commits."""
    _new_token()
    # Once per transaction, however many rows it changes (`loaddata` saves hundreds).
    queued = transaction.get_connection().run_on_commit
    if not any(entry[1] is _new_token for entry in queued):
        transaction.on_commit(_new_token)


def _new_token() -> None:
    cache.set(KEY, secrets.token_hex(8), timeout=None)


def shown_on_public_pages(model) -> bool:
    meta = model._meta
    return meta.app_label in WATCHED_APPS and meta.model_name not in UNSEEN_BY_PUBLIC_PAGES


def _changed(sender, **kwargs):
    if shown_on_public_pages(sender):
        advance()


def listen() -> None:
    post_save.connect(_changed, dispatch_uid="page-cache-save")
    post_delete.connect(_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_changed, dispatch_uid="page-cache-m2m")
