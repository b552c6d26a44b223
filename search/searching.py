"""A search as a reader sees it: what they may read, ranked, grouped, each with its address.

Who may read which pack version is decided by `PackVersion.objects.for_user` (the induction
app's rule), applied inside the index query itself, so a members-only pack of another trust
never takes part in a search: it cannot show up as a result, a count or a "more" link.

By default only each pack's newest version is searched, as it is the one a reader should act
on: the index query keeps to current rows (`SearchDocument.current`), so the search costs the
same however many versions came before. `include_earlier_versions` adds the older ones, each
labelled as an earlier version.

A search costs a fixed number of queries whatever the number of trusts, versions and hits:
one per group of results, one to load the matched rows, and the user's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery
from django.utils.safestring import SafeString

from induction.models import Membership, PackVersion
from induction.views.navigation import Reading

from .backends import backend
from .models import SearchDocument
from .text import Terms, plain_terms

# The best matches shown per group; one more is asked for, to know whether there are more.
RESULTS_PER_GROUP = 20

Group = SearchDocument.Group


@dataclass(frozen=True)
class SearchResult:
    title_html: SafeString
    snippet_html: SafeString
    url: str
    label: str
    trust_name: str = ""
    version_number: int | None = None
    newest_version_number: int | None = None

    @property
    def is_earlier_version(self) -> bool:
        return (
            self.version_number is not None
            and self.newest_version_number is not None
            and self.version_number < self.newest_version_number
        )


@dataclass
class ResultGroup:
    """A heading and its results, best first; `has_more` when more matched than are shown."""

    key: str
    heading: str
    results: list[SearchResult] = field(default_factory=list)
    has_more: bool = False


@dataclass
class SearchOutcome:
    terms: Terms
    groups: list[ResultGroup]
    include_earlier_versions: bool

    @property
    def count(self) -> int:
        return sum(len(group.results) for group in self.groups)

    @property
    def has_more(self) -> bool:
        return any(group.has_more for group in self.groups)


def readable_pack_documents(user):
    """The pack sections `user` may read: of the versions `PackVersion.objects.for_user` gives
    them, earlier ones included (the index query leaves those out unless asked not to)."""
    return SearchDocument.objects.filter(
        group=Group.PACK, pack_version__in=PackVersion.objects.for_user(user).values("pk")
    )


def national_documents():
    return SearchDocument.objects.filter(group=Group.NATIONAL)


def _pack_url(row: SearchDocument, is_newest: bool) -> str:
    """The reading page of the section the hit is in, as the reading views address it."""
    version = row.pack_version
    position = (row.anchor or "").removeprefix("section-")
    reading = Reading(pack=version.pack, version=version, versioned=not is_newest)
    return reading.section_url(int(position)) if position.isdigit() else reading.first_page_url()


def search(user, text: str | None, *, include_earlier_versions: bool = False) -> SearchOutcome:
    """Search what `user` may read for the plain words of `text`."""
    terms = plain_terms(text)
    outcome = SearchOutcome(terms, [], include_earlier_versions)
    if not terms:
        return outcome
    engine = backend()
    national_hits = engine.query(terms, national_documents(), limit=RESULTS_PER_GROUP + 1)
    pack_hits = engine.query(
        terms,
        readable_pack_documents(user),
        limit=RESULTS_PER_GROUP + 1,
        include_earlier_versions=include_earlier_versions,
    )
    hits = national_hits[:RESULTS_PER_GROUP] + pack_hits[:RESULTS_PER_GROUP]
    rows = _load_rows(user, [hit.document_id for hit in hits])

    national = ResultGroup("national", "National guide")
    own = ResultGroup("own", "Your trust's pack")
    others = ResultGroup(
        "others",
        "Other trusts' packs" if user.is_authenticated else "Trust induction packs",
    )
    for hit in hits:
        row = rows.get(hit.document_id)
        if row is None:  # removed between the two queries
            continue
        if row.group == Group.NATIONAL:
            national.results.append(
                SearchResult(hit.title_html, hit.snippet_html, row.url, row.label)
            )
            continue
        version = row.pack_version
        result = SearchResult(
            hit.title_html,
            hit.snippet_html,
            _pack_url(row, is_newest=version.number == row.newest_number),
            version.pack.title,
            trust_name=version.pack.trust.name,
            version_number=version.number,
            newest_version_number=row.newest_number,
        )
        (own if row.is_own_trust else others).results.append(result)
    national.has_more = len(national_hits) > RESULTS_PER_GROUP
    # The pack results were ranked together by one query: "more" goes with the last of them.
    pack_groups = [group for group in (own, others) if group.results]
    if pack_groups:
        pack_groups[-1].has_more = len(pack_hits) > RESULTS_PER_GROUP
    outcome.groups = [group for group in (national, own, others) if group.results]
    return outcome


def _load_rows(user, ids: list[int]) -> dict[int, SearchDocument]:
    """The matched rows with their version, pack and trust, in one query."""
    if not ids:
        return {}
    newest_number = PackVersion.objects.filter(pack_id=OuterRef("pack_version__pack_id"))
    is_own_trust = Membership.objects.filter(
        user=user.pk, trust_id=OuterRef("pack_version__pack__trust_id")
    )
    rows = (
        SearchDocument.objects.filter(pk__in=ids)
        .select_related("pack_version__pack__trust")
        .defer("body", "search_vector", "pack_version__content", "pack_version__rendered_html")
        .annotate(
            newest_number=Subquery(newest_number.order_by("-number").values("number")[:1]),
            is_own_trust=Exists(is_own_trust),
        )
    )
    return {row.pk: row for row in rows}
