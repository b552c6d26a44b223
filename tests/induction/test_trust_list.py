"""The trust list at NHS scale: a page of 25 trusts at a time, A to Z, filtered by words of the
name, by region and by kind, in the same number of queries however many trusts there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from induction.models import InductionPack, Trust
from induction.views.reading import TRUSTS_PER_PAGE

from .trust_helpers import add_public_trusts

TRUSTS = "/trusts/"


def test_thirty_trusts_make_two_pages_a_to_z(client, national):
    add_public_trusts(national, 30)
    first = client.get(TRUSTS).content.decode()
    assert '<h2 class="nhsuk-heading-m">30 trusts</h2>' in first
    assert "Showing 1 to 25." in first
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
    assert ">3 trusts match</h2>" in html
    assert "Hillcrest 000 NHS Trust" in html and "Riverside" not in html
    assert 'value="hillcrest nhs"' in html
    assert 'href="/trusts/">Clear filters</a>' in html
    riverside = client.get(TRUSTS, {"q": "riverside"}).content.decode()
    assert 'href="/trusts/?page=2&amp;q=riverside"' in riverside


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(client, national):
    add_public_trusts(national, 2)
    html = client.get(TRUSTS, {"q": "Quillwort"}).content.decode()
    assert ">No trusts match</h2>" in html
    assert "Check the spelling of the name" in html
    assert html.count('href="/trusts/">Clear filters</a>') == 2
    assert '<li class="nhsuk-card">' not in html


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


def test_the_plain_list_offers_the_filter_without_clear_filters(client, national):
    add_public_trusts(national, 2)
    html = client.get(TRUSTS).content.decode()
    assert '<label class="nhsuk-label" for="trust-filter-region">Region</label>' in html
    assert '<option value="" selected>Any region</option>' in html
    assert '<option value="" selected>Any kind</option>' in html
    assert "Clear filters" not in html


def test_filtering_by_region_shows_only_that_region_s_trusts(client, national):
    add_public_trusts(national, 3, prefix="Thames", region=Trust.Region.LONDON)
    add_public_trusts(national, 2, prefix="Mersey", region=Trust.Region.NORTH_WEST)
    html = client.get(TRUSTS, {"region": "north_west"}).content.decode()
    assert ">2 trusts match</h2>" in html
    assert "Mersey 000 NHS Trust" in html and "Thames" not in html
    assert '<option value="north_west" selected>North West</option>' in html
    assert "Acute trust, North West region." in html


def test_filtering_by_kind_shows_only_that_kind_of_trust(client, national):
    add_public_trusts(national, 3, prefix="General", kind=Trust.Kind.ACUTE)
    add_public_trusts(national, 1, prefix="Blue Light", kind=Trust.Kind.AMBULANCE)
    html = client.get(TRUSTS, {"kind": "ambulance"}).content.decode()
    assert ">1 trust matches</h2>" in html
    assert "Blue Light 000 NHS Trust" in html and "General" not in html
    assert '<option value="ambulance" selected>Ambulance</option>' in html


def test_name_region_and_kind_combine_so_a_trust_must_match_all_three(client, national):
    add_public_trusts(national, 2, prefix="Valley", region=Trust.Region.MIDLANDS)
    add_public_trusts(
        national,
        2,
        prefix="Valley Mind",
        region=Trust.Region.MIDLANDS,
        kind=Trust.Kind.MENTAL_HEALTH,
    )
    add_public_trusts(
        national,
        2,
        prefix="Valley Care",
        region=Trust.Region.SOUTH_EAST,
        kind=Trust.Kind.MENTAL_HEALTH,
    )
    add_public_trusts(
        national,
        2,
        prefix="Moor Mind",
        region=Trust.Region.MIDLANDS,
        kind=Trust.Kind.MENTAL_HEALTH,
    )
    html = client.get(
        TRUSTS, {"q": "valley", "region": "midlands", "kind": "mental_health"}
    ).content.decode()
    assert ">2 trusts match</h2>" in html
    assert "Valley Mind 000 NHS Trust" in html and "Valley Mind 001 NHS Trust" in html
    for other in ("Valley 000", "Valley Care", "Moor Mind"):
        assert other not in html


def test_every_page_link_keeps_the_filter(client, national):
    add_public_trusts(national, 30, prefix="Coast", region=Trust.Region.SOUTH_WEST)
    add_public_trusts(national, 30, prefix="Fen", region=Trust.Region.EAST_OF_ENGLAND)
    query = {"q": "coast", "region": "south_west", "kind": "acute"}
    first = client.get(TRUSTS, query).content.decode()
    assert ">30 trusts match</h2>" in first
    assert 'href="/trusts/?page=2&amp;q=coast&amp;region=south_west&amp;kind=acute"' in first
    second = client.get(TRUSTS, {**query, "page": 2}).content.decode()
    assert second.count('<li class="nhsuk-card">') == 5 and "Fen" not in second
    assert 'href="/trusts/?page=1&amp;q=coast&amp;region=south_west&amp;kind=acute"' in second


@pytest.mark.parametrize(
    "query, message",
    [
        ({"region": "narnia"}, "Choose a region from the list, or Any region"),
        ({"kind": "<b>haunted</b>"}, "Choose a kind of trust from the list, or Any kind"),
        ({"region": "London"}, "Choose a region from the list, or Any region"),
        ({"kind": "x" * 5000}, "Choose a kind of trust from the list, or Any kind"),
    ],
)
def test_an_unknown_region_or_kind_is_reported_and_left_out_of_the_filter(
    client, national, query, message
):
    add_public_trusts(national, 2, prefix="Thames")
    add_public_trusts(national, 30, prefix="Hill", region=Trust.Region.SOUTH_EAST)
    response = client.get(TRUSTS, {"q": "thames", **query, "page": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Trust induction packs" in html
    assert "There is a problem" in html and message in html
    assert ">2 trusts match</h2>" in html and "Thames 001 NHS Trust" in html
    assert "<b>haunted" not in html
    assert response.get("X-Page-Cache") is None


def test_the_unknown_value_is_dropped_from_the_page_links(client, national):
    add_public_trusts(national, 30, prefix="Thames")
    html = client.get(TRUSTS, {"q": "thames", "region": "narnia"}).content.decode()
    assert 'href="/trusts/?page=2&amp;q=thames"' in html


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "  "}, {"q": "", "region": "", "kind": ""}],
)
def test_a_list_with_no_filter_is_marked_for_the_page_cache(client, national, query):
    add_public_trusts(national, 2)
    response = client.get(TRUSTS, query)
    assert response["Cache-Control"].startswith("public")
    assert "Clear filters" not in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"q": "trust"}, {"region": "london"}, {"kind": "acute"}, {"kind": "bogus"}]
)
def test_a_filtered_list_is_not_marked_for_the_page_cache(client, national, query):
    add_public_trusts(national, 2)
    response = client.get(TRUSTS, query)
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "query",
    [
        {"region": "london"},
        {"kind": "acute", "q": "nhs"},
        {"q": "more", "region": "london", "kind": "acute"},
        {"region": "narnia", "kind": "acute"},
    ],
)
def test_the_queries_do_not_grow_with_the_number_of_trusts_when_filtered(
    client, national, pack, editor, query
):
    client.force_login(editor)
    add_public_trusts(national, 3, prefix="More")
    with CaptureQueriesContext(connection) as few:
        client.get(TRUSTS, query)
    add_public_trusts(national, 60, prefix="More Still")
    with CaptureQueriesContext(connection) as many:
        response = client.get(TRUSTS, {**query, "page": 2})
    assert response.content.decode().count('<li class="nhsuk-card">') == TRUSTS_PER_PAGE
    assert len(many) == len(few) <= 7
