"""The later developments ("changed since 2017") attached to each statement, loaded once.

`Developments.for_request` reads every attachment with its note in one query, the first time
a page asks for a statement's notes, and answers every later `for_statement(row)` from memory:
showing the notes beside each statement costs one query per page, not one per statement, and a
page that shows no statements (the list of sources) costs none. The table is small (a few dozen
notes) and the same for every page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from .models import DevelopmentLink, LaterDevelopment, Review


@dataclass
class Developments:
    """The notes attached to each statement, keyed by (content type id, object id).

    `by_statement` is None until the first `for_statement` call reads it.
    """

    by_statement: dict[tuple[int, int], list[LaterDevelopment]] | None = None

    @staticmethod
    def _read() -> dict[tuple[int, int], list[LaterDevelopment]]:
        by_statement: dict[tuple[int, int], list[LaterDevelopment]] = defaultdict(list)
        for link in DevelopmentLink.objects.select_related("development"):
            by_statement[(link.content_type_id, link.object_id)].append(link.development)
        return dict(by_statement)

    @classmethod
    def load(cls) -> Developments:
        """Every note, read now."""
        return cls(cls._read())

    @classmethod
    def for_request(cls, request) -> Developments:
        """The request's notes, read at most once, and only when a statement asks."""
        developments = getattr(request, "_roles_developments", None)
        if developments is None:
            developments = cls()
            request._roles_developments = developments
        return developments

    def for_statement(self, statement) -> list[LaterDevelopment]:
        """The notes attached to `statement`, oldest change first."""
        if statement is None or statement.pk is None:
            return []
        if self.by_statement is None:
            self.by_statement = self._read()
        if not self.by_statement:
            return []
        content_type = ContentType.objects.get_for_model(statement)
        return self.by_statement.get((content_type.pk, statement.pk), [])


def latest_review() -> Review | None:
    """The most recent review of the national text, if one has been recorded."""
    return Review.objects.first()
