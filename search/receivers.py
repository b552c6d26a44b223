"""Signal receivers that keep the search index up to date (see search/indexing.py)."""

import logging

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from induction.models import PackVersion
from induction.signals import version_published
from roles.models import (
    BoardQuestion,
    Finding,
    GlossaryTerm,
    GoodPractice,
    Relationship,
    ReportingLine,
    Responsibility,
    Role,
    Source,
)

from . import indexing

logger = logging.getLogger(__name__)

# Every model whose text or address the national documents read (search/documents.py).
NATIONAL_MODELS = (
    Role,
    Responsibility,
    ReportingLine,
    Relationship,
    GoodPractice,
    Finding,
    BoardQuestion,
    GlossaryTerm,
    Source,
)


@receiver(version_published, sender=PackVersion, dispatch_uid="search.index_published_version")
def index_published_version(sender, version, **kwargs):
    """Index a new version's sections. Sent after the publishing transaction has committed,
    so a failure here must not fail the publication: `rebuild_search_index` catches up."""
    try:
        indexing.index_pack_version(version)
    except Exception:
        logger.exception("Could not index %s for search.", version)


def national_data_changed(sender, **kwargs):
    """Index the national guide again after the transaction that changed it, including a
    `loaddata` (whose raw saves are safe to react to: the indexing waits for the commit)."""
    indexing.schedule_national_reindex()


for model in NATIONAL_MODELS:
    post_save.connect(national_data_changed, sender=model, dispatch_uid=f"search.saved.{model}")
    post_delete.connect(national_data_changed, sender=model, dispatch_uid=f"search.deleted.{model}")


def build_index_after_migrate(sender, using, **kwargs):
    if indexing.build_if_empty(using):
        logger.info("Built the search index.")


def connect_post_migrate(app_config):
    post_migrate.connect(
        build_index_after_migrate, sender=app_config, dispatch_uid="search.build_if_empty"
    )
