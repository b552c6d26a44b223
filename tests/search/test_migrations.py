"""Migration 0003 marks the rows of existing earlier versions not current and leaves the full-text
index able to tell them apart, on whichever database runs the tests; and it can be undone."""

import pytest
from django.core.management import call_command

from search.models import SearchDocument
from search.searching import search

pytestmark = pytest.mark.django_db(transaction=True)


def test_migrating_marks_existing_earlier_versions_not_current(
    make_pack, make_version, national_index, anonymous
):
    pack = make_pack(slug="riverside", public=True)
    make_version(pack, [("Quillwort", "<p>The old plan.</p>")])
    make_version(pack, [("Bramblewick", "<p>The new plan.</p>")])
    try:
        call_command("migrate", "search", "0002_full_text_indexes", verbosity=0)
    finally:
        call_command("migrate", "search", verbosity=0)
    current = SearchDocument.objects.filter(current=True)
    assert set(current.filter(group="pack").values_list("pack_version__number", flat=True)) == {2}
    assert not SearchDocument.objects.filter(group="national", current=False).exists()
    assert search(anonymous, "quillwort").groups == []
    [result] = search(anonymous, "bramblewick").groups[0].results
    assert result.version_number == 2
    [group] = search(anonymous, "quillwort", include_earlier_versions=True).groups
    assert [result.version_number for result in group.results] == [1]
