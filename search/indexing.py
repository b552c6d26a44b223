"""Keeping the index up to date: which sources are indexed when.

- A pack version is indexed once, when it is published (search/receivers.py); versions never
  change, and their rows go when the version does (a cascading foreign key). Its rows are
  current (`SearchDocument.current`) while it is its pack's newest version: indexing a new
  version marks the rows of the versions before it not current, in the same transaction.
- The national guide is indexed again as a whole after any transaction that changed it:
  `loaddata roles`, an edit in the admin (search/receivers.py).
- After `migrate`, an empty index over existing data is built from scratch, so a database that
  had data before search existed needs no extra step; `manage.py rebuild_search_index` builds
  it again at any time.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, Max, OuterRef, Q

from induction.models import InductionPack, PackVersion
from roles.models import Role

from .backends import backend
from .documents import national_documents, pack_version_documents
from .models import SearchDocument

logger = logging.getLogger(__name__)


def index_national() -> int:
    """Index the whole national guide again, dropping items that no longer exist."""
    return backend().index(national_documents(), replacing=Q(group=SearchDocument.Group.NATIONAL))


def index_pack_version(version: PackVersion) -> int:
    """Index the sections of one published version (again, if it was indexed before): as
    current if it is its pack's newest version, when the versions before it stop being."""
    with transaction.atomic():
        # The lock publishing takes: the versions of one pack are indexed one at a time and
        # each sees the versions published before it, so that whatever order their indexing
        # runs in, only the newest version's rows stay current.
        InductionPack.objects.select_for_update().only("pk").get(pk=version.pack_id)
        version = PackVersion.objects.select_related("pack").defer("content").get(pk=version.pk)
        newest = version.pack.versions.aggregate(number=Max("number"))["number"]
        current = version.number == newest
        count = backend().index(
            pack_version_documents(version, current=current), replacing=Q(pack_version=version)
        )
        if current:
            SearchDocument.objects.filter(
                pack_version__pack=version.pack_id,
                pack_version__number__lt=version.number,
                current=True,
            ).update(current=False)
    return count


def rebuild() -> dict[str, int]:
    """Build the whole index again from its sources: the national guide and every version,
    each version's rows current if it is its pack's newest."""
    newer = PackVersion.objects.filter(pack=OuterRef("pack"), number__gt=OuterRef("number"))
    versions = (
        PackVersion.objects.select_related("pack")
        .defer("content")
        .annotate(replaced=Exists(newer))
        .order_by("pk")
    )
    with transaction.atomic():
        counts = {"national": index_national(), "pack": 0}
        engine = backend()
        engine.remove(SearchDocument.objects.filter(group=SearchDocument.Group.PACK))
        for version in versions.iterator():
            counts["pack"] += engine.index(
                pack_version_documents(version, current=not version.replaced)
            )
    return counts


def build_if_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Build the index if it holds nothing while there is something to index (a database
    migrated onto this app with its data already loaded). Returns whether it built."""
    if using != DEFAULT_DB_ALIAS:
        return False
    tables = connections[using].introspection.table_names()
    if SearchDocument._meta.db_table not in tables:
        return False
    if SearchDocument.objects.exists():
        return False
    if not (Role.objects.exists() or PackVersion.objects.exists()):
        return False
    rebuild()
    return True


def _reindex_national_after_commit():
    connection = transaction.get_connection()
    connection.search_national_reindex_pending = False
    try:
        index_national()
    except Exception:
        # The change itself has committed and must stand; the index catches up with the next
        # change or `manage.py rebuild_search_index`.
        logger.exception("Could not index the national guide again after a change.")


def schedule_national_reindex() -> None:
    """Index the national guide again once the current transaction commits: once per
    transaction however many rows it changed (`loaddata` saves hundreds)."""
    connection = transaction.get_connection()
    pending = getattr(connection, "search_national_reindex_pending", False)
    # A rolled-back transaction drops its callbacks without a word, so a pending flag is only
    # believed while its callback is still queued (Django's list of (savepoints, callback,
    # robust) entries).
    if pending and any(
        entry[1] is _reindex_national_after_commit for entry in connection.run_on_commit
    ):
        return
    connection.search_national_reindex_pending = True
    transaction.on_commit(_reindex_national_after_commit)
