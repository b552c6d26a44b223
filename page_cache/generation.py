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


class Token:
    """A token in the default cache that changes whenever what it stands for changes, so that
    whatever was kept under an older token is never read again. Advanced at once and again when
    the transaction commits (see above)."""

    def __init__(self, key: str):
        self.key = key

    def current(self) -> str:
        token = cache.get(self.key)
        if token is None:
            token = self._lost()
        return token

    def advance(self) -> None:
        """Make everything kept so far under this token unreachable, now and on commit."""
        self._new()
        # Once per transaction, however many rows it changes (`loaddata` saves hundreds).
        queued = transaction.get_connection().run_on_commit
        if not any(getattr(entry[1], "__self__", None) is self for entry in queued):
            transaction.on_commit(self._new)

    def kept(self, key: str, make, timeout: int, *, also: tuple["Token", ...] = ()):
        """The value kept at `key` if it was kept under the current token (and the current
        tokens of `also`, for a value made from what several tokens stand for), else `make()`,
        kept there with the tokens: one round trip to the cache when it is there. The tokens
        are read before `make()` runs, so a value made from data a change has since replaced
        is kept under a token that change has already replaced. Inside a transaction, whose
        changes may yet be rolled back, the value is made afresh and never kept."""
        if transaction.get_connection().in_atomic_block:
            return make()
        tokens = (self, *also)
        found = cache.get_many([*(token.key for token in tokens), key])
        stamp = tuple(found.get(token.key) or token._lost() for token in tokens)
        entry = found.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        value = make()
        cache.set(key, (stamp, value), timeout)
        return value

    def _lost(self) -> str:
        """A new random token when the cache has none (first use, or evicted)."""
        cache.add(self.key, secrets.token_hex(8), timeout=None)
        return cache.get(self.key)

    def _new(self) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)


# What public pages show.
CONTENT = Token("page-cache:generation")
current = CONTENT.current
advance = CONTENT.advance


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
