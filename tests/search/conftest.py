"""Fixtures for the search tests: the induction app's people and trusts (tests/induction/
conftest.py), plus packs with published versions whose words are known, and the index.

`make_version(pack, sections)` stores a published version directly, its body in the shape
induction/rendering.py gives it, and indexes it; the test of publishing itself goes through
`pack.publish`. Words such as "quillwort" appear nowhere in the national data, so a search
for one finds exactly the sections written with it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from induction.models import InductionPack, PackVersion, Trust
from search.indexing import index_national, index_pack_version
from tests.induction.conftest import *  # noqa: F403  (the people, trusts and packs)


def pack_html(sections: list[tuple[str, str]]) -> str:
    """A pack body as rendering.py makes it: `(title, inner HTML)` per section."""
    return "".join(
        f'<section class="app-pack-section" id="section-{position}" data-kind="markdown" '
        f'aria-labelledby="section-{position}__title">'
        f'<h2 class="app-pack-section__title" id="section-{position}__title">{escape(title)}</h2>'
        f'<div class="app-prose">{body}</div></section>'
        for position, (title, body) in enumerate(sections, start=1)
    )


ODS_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.fixture
def make_version():
    def make(pack: InductionPack, sections: list[tuple[str, str]]) -> PackVersion:
        newest = pack.versions.order_by("-number").values_list("number", flat=True).first()
        number = (newest or 0) + 1
        version = PackVersion.objects.create(
            pack=pack,
            number=number,
            content={"sections": []},
            rendered_html=f'<div class="app-pack-body">{pack_html(sections)}</div>',
            published_at=timezone.now(),
            next_review_date=timezone.localdate() + datetime.timedelta(days=365),
        )
        index_pack_version(version)
        return version

    return make


@pytest.fixture
def make_pack(national):
    """A pack of a new trust (or of `trust`), public or members only."""

    def make(*, trust: Trust | None = None, slug: str = "", public: bool = False) -> InductionPack:
        if trust is None:
            count = Trust.objects.count()
            trust = Trust.objects.create(
                name=f"{slug.title()} NHS Trust",
                slug=slug,
                ods_code=f"R{ODS_CHARACTERS[count // 36 % 36]}{ODS_CHARACTERS[count % 36]}",
                kind=Trust.Kind.ACUTE,
            )
        visibility = InductionPack.Visibility.PUBLIC if public else InductionPack.Visibility.MEMBERS
        return InductionPack.objects.create(
            trust=trust, board_role=national, title=f"{trust.name} induction", visibility=visibility
        )

    return make


@pytest.fixture
def national_index(national):
    """The national guide, indexed."""
    index_national()
