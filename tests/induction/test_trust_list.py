"""The trust list at NHS scale: a page of 25 trusts at a time, A to Z, searchable by name, in
the same number of queries however many trusts there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from induction.models import InductionPack
from induction.views.reading import TRUSTS_PER_PAGE

from .trust_helpers import add_public_trusts

TRUSTS = "/trusts/"


def test_thirty_trusts_make_two_pages_a_to_z(client, national):
    add_public_trusts(national, 30)
    first = client.get(TRUSTS).content.decode()
    assert "30 trusts." in first and "Showing 1 to 25." in first
    assert first.count('<li class="nhsuk-card">') == TRUSTS_PER_PAGE
    assert 'href="/trusts/?page=2"' in first and "Page 2 of 2" in first
    second = client.get(TRUSTS, {"page": 2}).content.decode()
    assert second.count('<li class="nhsuk-card">') == 5
    assert "Trust 029 NHS Trust" in second and "Trust 000 NHS Trust" not in second
    assert 'href="/trusts/?page=1"' in second and "Showing 26 to 30." in second


@pytest.mark.parametrize("page", ["0", "99", "two", "-1", "9" * 40])
def test_a_page_that_does_not_exist_shows_the_nearest_one(client, national, page):
    add_public_trusts(national, 30)
    response = client.get(TRUSTS, {"page": page})
    assert response.status_code == 200
    assert '<li class="nhsuk-card">' in response.content.decode()


def test_searching_finds_trusts_by_words_of_their_name_and_keeps_the_search_on_every_page(
    client, national
):
    add_public_trusts(national, 30, prefix="Riverside")
    add_public_trusts(national, 3, prefix="Hillcrest")
    html = client.get(TRUSTS, {"q": "  hillcrest   nhs "}).content.decode()
    assert "3 trusts with “hillcrest nhs” in the name." in html
    assert "Hillcrest 000 NHS Trust" in html and "Riverside" not in html
    assert 'href="/trusts/">Show every trust</a>' in html
    riverside = client.get(TRUSTS, {"q": "riverside"}).content.decode()
    assert 'href="/trusts/?page=2&amp;q=riverside"' in riverside


def test_a_search_that_finds_nothing_says_so(client, national):
    add_public_trusts(national, 2)
    html = client.get(TRUSTS, {"q": "Quillwort"}).content.decode()
    assert "No trust you can see has “Quillwort” in its name." in html


def test_the_search_is_escaped_and_cut_to_length(client, national):
    html = client.get(TRUSTS, {"q": "<script>alert(1)</script>" + "x" * 200}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x" * 100 not in html.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")


def test_members_only_trusts_are_not_found_by_outsiders(client, national, pack, outsider):
    pack.visibility = InductionPack.Visibility.MEMBERS
    pack.save()
    client.force_login(outsider)
    html = client.get(TRUSTS, {"q": pack.trust.name.split()[0]}).content.decode()
    assert pack.trust.name not in html


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_queries_do_not_grow_with_the_number_of_trusts(client, national, pack, editor, who):
    if who == "editor":
        client.force_login(editor)
    add_public_trusts(national, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(TRUSTS)
    add_public_trusts(national, 60, prefix="More")
    with CaptureQueriesContext(connection) as many:
        response = client.get(TRUSTS, {"page": 2})
    assert response.content.decode().count('<li class="nhsuk-card">') == TRUSTS_PER_PAGE
    assert len(many) == len(few) <= 7
