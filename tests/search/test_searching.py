"""Ranking, highlighting and escaping, and any typed input, on whichever database runs the
tests (CI runs them on SQLite and on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from induction.models import Membership
from search.backends import backend
from search.searching import RESULTS_PER_GROUP, national_documents, search
from search.text import plain_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_pack(make_pack):
    return make_pack(slug="riverside", public=True)


def titles(outcome, group_key=None):
    """The titles of the results of one group, or of every trust pack group."""
    return [
        str(result.title_html)
        for group in outcome.groups
        if group.key == group_key or (group_key is None and group.key != "national")
        for result in group.results
    ]


def test_a_match_in_the_title_ranks_above_a_passing_mention(public_pack, make_version, anonymous):
    filler = " ".join(["The board meets monthly to review the trust's performance."] * 8)
    make_version(
        public_pack,
        [
            ("Meeting the executive team", f"<p>{filler} Ask about quillwort too.</p>"),
            ("Quillwort programme", "<p>The quillwort programme is how the trust grows.</p>"),
            ("Unrelated", "<p>Nothing to see here.</p>"),
        ],
    )
    outcome = search(anonymous, "quillwort")
    assert titles(outcome) == ["<mark>Quillwort</mark> programme", "Meeting the executive team"]


def test_every_word_must_match(public_pack, make_version, anonymous):
    make_version(
        public_pack,
        [("Quillwort", "<p>Only one word.</p>"), ("Both", "<p>quillwort and bramblewick</p>")],
    )
    assert titles(search(anonymous, "quillwort bramblewick")) == ["Both"]


def test_matching_words_are_marked_in_the_snippet_with_their_endings(
    public_pack, make_version, anonymous
):
    make_version(public_pack, [("Appraisals", "<p>Every consultant is appraised yearly.</p>")])
    # The national guide mentions appraisal too; this is about the pack's own hit.
    [pack_group] = [g for g in search(anonymous, "appraisal").groups if g.key != "national"]
    [result] = pack_group.results
    assert "<mark>Appraisals</mark>" in result.title_html
    assert "<mark>appraised</mark>" in result.snippet_html


def test_text_that_looks_like_markup_is_shown_escaped(public_pack, make_version, client):
    # What a pack shows as text (here a code span) reaches the index as text, and leaves it
    # escaped: the snippet can never carry markup of its own.
    make_version(
        public_pack,
        [
            (
                "<b>Quillwort</b> notes",
                "<p>Never paste <code>&lt;script&gt;alert('quillwort')&lt;/script&gt;</code> "
                "or <code>&lt;img src=x onerror=alert(1)&gt;</code> into a pack.</p>",
            )
        ],
    )
    response = client.get("/search/", {"q": "quillwort"})
    html = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;<mark>quillwort</mark>&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;<mark>Quillwort</mark>&lt;/b&gt; notes" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"quillwort',
        "quillwort*",
        "*",
        "NEAR(quillwort",
        "NEAR(quillwort bramble, 2)",
        "-quillwort",
        "quillwort -bramble",
        "title:quillwort",
        "body : quillwort",
        "quillwort AND",
        "OR",
        "NOT quillwort",
        "quillwort & | ! <->",
        "'quillwort'",
        "(((",
        "^quillwort",
        "{quillwort}",
        "quillwort\x00",
        "\u202equillwort",
        "q" * 5000,
        "quillwort " * 500,
    ],
)
def test_query_syntax_and_odd_input_never_fail(typed, public_pack, make_version, client):
    make_version(public_pack, [("Quillwort", "<p>The quillwort programme.</p>")])
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 200
    if plain_terms(typed).words == ("quillwort",):
        assert "<mark>Quillwort</mark>" in response.content.decode()


def test_each_group_shows_its_best_matches_and_says_when_there_are_more(
    public_pack, make_version, anonymous
):
    make_version(
        public_pack,
        [(f"Quillwort {number}", "<p>quillwort</p>") for number in range(RESULTS_PER_GROUP + 3)],
    )
    [group] = search(anonymous, "quillwort").groups
    assert len(group.results) == RESULTS_PER_GROUP
    assert group.has_more


def test_the_national_guide_is_searched_and_links_to_the_item(national_index, anonymous):
    [group] = search(anonymous, "revalidation").groups
    assert group.heading == "National guide"
    urls = [result.url for result in group.results]
    assert "/roles/medical-director/#responsibility-responsible-officer" in urls
    assert all(
        "<mark>" in str(result.title_html) + str(result.snippet_html) for result in group.results
    )


def test_a_pack_result_links_to_its_section_s_own_page_in_the_newest_version(
    public_pack, make_version, anonymous
):
    make_version(public_pack, [("Welcome", "<p>Hello.</p>"), ("Quillwort", "<p>Words.</p>")])
    [result] = search(anonymous, "quillwort").groups[0].results
    assert result.url == "/trusts/riverside/induction/section-2/"
    assert result.trust_name == "Riverside NHS Trust"
    assert result.version_number == 1
    assert not result.is_earlier_version


def test_only_the_newest_version_is_searched_unless_earlier_ones_are_asked_for(
    public_pack, make_version, anonymous
):
    make_version(public_pack, [("Quillwort", "<p>The old plan.</p>")])
    make_version(public_pack, [("Bramblewick", "<p>The new plan.</p>")])
    assert search(anonymous, "quillwort").groups == []
    assert titles(search(anonymous, "plan")) == ["Bramblewick"]
    assert titles(search(anonymous, "plan"), "national")  # the guide has plans too

    [group] = search(anonymous, "quillwort", include_earlier_versions=True).groups
    [result] = group.results
    assert result.is_earlier_version
    assert (result.version_number, result.newest_version_number) == (1, 2)
    assert result.url == "/trusts/riverside/induction/v1/"
    both = search(anonymous, "plan", include_earlier_versions=True)
    assert sorted(titles(both)) == ["Bramblewick", "Quillwort"]


def test_a_members_own_trust_comes_under_its_own_heading(
    pack, make_pack, make_version, make_user, trust
):
    reader = make_user("own-reader", trust=trust, roles=[Membership.Role.READER])
    make_version(pack, [("Quillwort here", "<p>Ours.</p>")])
    make_version(make_pack(slug="riverside", public=True), [("Quillwort there", "<p>Theirs.</p>")])
    outcome = search(reader, "quillwort")
    assert [(group.heading, titles(outcome, group.key)) for group in outcome.groups] == [
        ("Your trust's pack", ["<mark>Quillwort</mark> here"]),
        ("Other trusts' packs", ["<mark>Quillwort</mark> there"]),
    ]


def test_a_default_search_never_finds_an_earlier_version_however_well_it_matches(
    public_pack, make_version, anonymous
):
    # More earlier versions than a page of results, each matching better than the newest.
    for _ in range(RESULTS_PER_GROUP + 5):
        make_version(public_pack, [("Quillwort quillwort", "<p>quillwort quillwort</p>")])
    newest = make_version(public_pack, [("Plans", "<p>A passing quillwort.</p>")])
    [group] = search(anonymous, "quillwort").groups
    [result] = group.results
    assert result.version_number == newest.number
    assert not result.is_earlier_version
    assert not group.has_more

    [group] = search(anonymous, "quillwort", include_earlier_versions=True).groups
    assert len(group.results) == RESULTS_PER_GROUP
    assert group.has_more
    assert all(result.is_earlier_version for result in group.results)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN indexes")
@pytest.mark.parametrize(
    ("earlier", "index"),
    [(False, "search_document_current_vector"), (True, "search_document_vector")],
)
def test_postgresql_matches_current_rows_in_their_own_gin_index(earlier, index, national_index):
    # Over the national guide's rows no other index could serve, so the plan shows which of
    # the two GIN indexes the backend's filter lets PostgreSQL use.
    with CaptureQueriesContext(connection) as queries:
        backend().query(
            plain_terms("revalidation"),
            national_documents(),
            limit=RESULTS_PER_GROUP,
            include_earlier_versions=earlier,
        )
    [query] = queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is read whole
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert f"Bitmap Index Scan on {index} " in plan
