"""The later developments ("changed since 2017") attached to each statement, loaded once.

`Developments.for_request` reads every attachment with its note in one query and answers
`for_statement(row)` from memory, so showing the notes beside each statement costs no query per
statement. The table is small (a few dozen notes) and the same for every page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from .models import DevelopmentLink, LaterDevelopment, Review


@dataclass
class Developments:
    """The notes attached to each statement, keyed by (content type id, object id)."""

    by_statement: dict[tuple[int, int], list[LaterDevelopment]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Developments:
        by_statement: dict[tuple[int, int], list[LaterDevelopment]] = defaultdict(list)
        for link in DevelopmentLink.objects.select_related("development"):
            by_statement[(link.content_type_id, link.object_id)].append(link.development)
        return cls(dict(by_statement))

    @classmethod
    def for_request(cls, request) -> Developments:
        developments = getattr(request, "_roles_developments", None)
        if developments is None:
            developments = cls.load()
            request._roles_developments = developments
        return developments

    def for_statement(self, statement) -> list[LaterDevelopment]:
        if not self.by_statement or statement is None or statement.pk is None:
            return []
        content_type = ContentType.objects.get_for_model(statement)
        return self.by_statement.get((content_type.pk, statement.pk), [])


def latest_review() -> Review | None:
    """The most recent review of the national text, if one has been recorded."""
    return Review.objects.first()
