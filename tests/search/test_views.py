"""The search page's states, the header's search box, and where national results link to."""

from collections import defaultdict

import pytest

from search.documents import national_documents

pytestmark = pytest.mark.django_db


def test_every_page_has_the_header_search_box(client):
    html = client.get("/").content.decode()
    assert (
        '<form class="nhsuk-header__search-form" id="search" action="/search/" method="get"' in html
    )
    assert 'name="q" type="search"' in html


def test_the_page_without_a_query_says_what_search_covers(client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Search</h1>" in html
    assert "Search covers the national guide" in html
    assert "Sign in</a> to search them too" in html


def test_an_empty_query_asks_for_a_word(client):
    html = client.get("/search/", {"q": "  "}).content.decode()
    assert "Enter a word to search for" in html


def test_a_query_of_symbols_only_says_there_are_no_words(client):
    html = client.get("/search/", {"q": '"*:-('}).content.decode()
    assert "There are no words to search for" in html


def test_no_results_offers_ways_on(client, make_pack, make_version):
    html = client.get("/search/", {"q": "xylophonic"}).content.decode()
    assert "No results for xylophonic" in html
    assert "check the spelling" in html
    assert "/search/?q=xylophonic&amp;earlier=yes" in html


def test_a_long_query_is_answered_and_says_it_was_cut(client):
    html = client.get("/search/", {"q": " ".join(["governance"] + ["word"] * 300)}).content.decode()
    assert "Your search was long" in html


def test_the_form_keeps_what_was_typed_escaped(client):
    html = client.get("/search/", {"q": '"><script>x</script>'}).content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "<script>x" not in html


def test_only_reading_is_allowed(client):
    assert client.post("/search/", {"q": "board"}).status_code == 405


def test_every_national_result_links_to_an_anchor_on_its_page(client, national):
    anchors_by_page = defaultdict(set)
    for document in national_documents():
        page, _, anchor = document.url.partition("#")
        anchors_by_page[page].add(anchor)
    assert len(anchors_by_page) > 5
    for page, anchors in anchors_by_page.items():
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for anchor in anchors - {""}:
            assert f'id="{anchor}"' in html, f"{page}#{anchor}"
