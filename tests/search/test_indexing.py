"""The index follows its sources: a publication, a change to the national guide, a rebuild;
and the text of a pack version is read section by section as readers see it."""

import pytest
from django.core.management import call_command
from django.db import connection

from roles.models import GlossaryTerm
from search.documents import pack_version_documents
from search.indexing import _reindex_national_after_commit, build_if_empty, index_pack_version
from search.models import CURRENT_WORD, SearchDocument
from search.searching import search

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def pack_titles(outcome):
    return [
        str(result.title_html)
        for group in outcome.groups
        if group.key != "national"
        for result in group.results
    ]


def test_a_publication_is_searchable_once_it_commits(
    pack, editor_approver, edited, anonymous, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS  # the PDF is not needed here
    pack.visibility = "public"
    pack.save(update_fields=["visibility"])
    edited(pack, editor_approver, text="The quillwort committee meets on Fridays.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = pack.publish(user=editor_approver)
    assert not SearchDocument.objects.filter(pack_version=version).exists()
    for callback in callbacks:
        callback()
    [result] = search(anonymous, "quillwort").groups[0].results
    assert result.version_number == 1
    assert "<mark>quillwort</mark> committee" in result.snippet_html

    edited(pack, editor_approver, text="The bramblewick group replaced it.")
    with django_capture_on_commit_callbacks(execute=True):
        pack.publish(user=editor_approver)
    [result] = search(anonymous, "bramblewick").groups[0].results
    assert result.version_number == 2
    # Version 2 still says "quillwort" (edits append): the newest version is the one found.
    [result] = search(anonymous, "quillwort").groups[0].results
    assert result.version_number == 2


def test_a_change_to_the_national_guide_is_indexed_once_after_commit(
    national, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        term = GlossaryTerm.objects.create(
            abbreviation="QWT", term="Quillwort Trust", definition="An invented body."
        )
        GlossaryTerm.objects.create(abbreviation="BWK", term="Bramblewick", definition="Too.")
    [reindex] = [callback for callback in callbacks if callback is _reindex_national_after_commit]
    reindex()  # once, however many rows changed
    [result] = search(anonymous, "quillwort").groups[0].results
    assert result.url == "/roles/glossary/#term-qwt"
    assert str(result.title_html) == "QWT: <mark>Quillwort</mark> Trust"

    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert search(anonymous, "quillwort").groups == []


def test_rebuilding_replaces_the_whole_index(pack, make_version, anonymous):
    make_version(pack, [("Quillwort", "<p>Words.</p>")])
    SearchDocument.objects.all().delete()
    assert build_if_empty()
    assert not build_if_empty()  # only ever fills an empty index
    national_count = SearchDocument.objects.filter(group="national").count()
    assert national_count > 100
    call_command("rebuild_search_index", verbosity=0)
    assert SearchDocument.objects.filter(group="national").count() == national_count
    assert SearchDocument.objects.filter(group="pack").count() == 1


def version_numbers(pack, *, current: bool) -> set[int]:
    """The numbers of `pack`'s versions whose rows are (or are not) current."""
    rows = SearchDocument.objects.filter(pack_version__pack=pack, current=current)
    return set(rows.values_list("pack_version__number", flat=True))


def assert_full_text_index_agrees_on_current_rows():
    """SQLite's FTS table finds the current rows by their word, and no others (its triggers)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s",
            [f"scope_word : {CURRENT_WORD}"],
        )
        indexed = {rowid for (rowid,) in cursor.fetchall()}
    assert indexed == set(SearchDocument.objects.filter(current=True).values_list("pk", flat=True))


def test_a_new_publication_makes_the_sections_of_the_versions_before_it_earlier(
    pack, editor_approver, edited, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        pack.publish(user=editor_approver)
    assert version_numbers(pack, current=True) == {1}
    edited(pack, editor_approver, text="A second version.")
    with django_capture_on_commit_callbacks(execute=True):
        pack.publish(user=editor_approver)
    assert version_numbers(pack, current=True) == {2}
    assert version_numbers(pack, current=False) == {1}
    assert not SearchDocument.objects.filter(group="national", current=False).exists()
    assert_full_text_index_agrees_on_current_rows()


def test_indexing_an_earlier_version_again_leaves_the_newest_current(
    pack, other_pack, make_version
):
    first = make_version(pack, [("Quillwort", "<p>Words.</p>")])
    make_version(pack, [("Quillwort", "<p>More words.</p>")])
    make_version(other_pack, [("Quillwort", "<p>Theirs.</p>")])
    # Late, as when the first publication's indexing ran after the second's.
    index_pack_version(first)
    assert version_numbers(pack, current=True) == {2}
    assert version_numbers(pack, current=False) == {1}
    assert version_numbers(other_pack, current=True) == {1}  # another pack's rows untouched
    assert_full_text_index_agrees_on_current_rows()


def test_rebuilding_marks_only_each_pack_s_newest_version_current(
    pack, other_pack, make_version, national_index
):
    for _ in range(3):
        make_version(pack, [("Quillwort", "<p>Words.</p>")])
    make_version(other_pack, [("Quillwort", "<p>Theirs.</p>")])
    SearchDocument.objects.update(current=True)  # as if an indexing had failed part-way
    call_command("rebuild_search_index", verbosity=0)
    assert version_numbers(pack, current=True) == {3}
    assert version_numbers(pack, current=False) == {1, 2}
    assert version_numbers(other_pack, current=True) == {1}
    assert not SearchDocument.objects.filter(group="national", current=False).exists()
    assert_full_text_index_agrees_on_current_rows()


def test_deleting_a_pack_takes_its_sections_out_of_the_index(pack, make_version, staff):
    make_version(pack, [("Quillwort", "<p>Words.</p>")])
    assert search(staff, "quillwort").groups
    pack.delete()
    assert search(staff, "quillwort").groups == []
    assert not SearchDocument.objects.filter(group="pack").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_document_fts "
                "WHERE search_document_fts MATCH 'quillwort'"
            )
            assert cursor.fetchone() == (0,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored vectors")
def test_postgresql_stores_each_rows_vector_under_gin_indexes(pack, make_version):
    make_version(pack, [("Quillwort", "<p>Words.</p>")])
    assert not SearchDocument.objects.filter(search_vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_current_vector'"
        )
        assert "USING gin (search_vector) WHERE current" in cursor.fetchone()[0]


def test_a_version_is_read_section_by_section_as_its_readers_see_it(pack, editor_approver):
    version = pack.publish(user=editor_approver)
    documents = pack_version_documents(version)
    sections = version.content["sections"]
    assert [document.anchor for document in documents] == [s["anchor"] for s in sections]
    assert [document.title for document in documents] == [s["title"] for s in sections]
    text = " ".join(document.body for document in documents)
    # Table cells and tags are parted, never run together; Markdown syntax is gone.
    assert "Held by the Medical Director" in text
    assert "heldelegated" not in text.lower()
    assert "[^" not in text and "](" not in text


def test_a_diagrams_drawing_is_not_indexed_but_the_words_around_it_are(pack, make_version):
    version = make_version(
        pack,
        [
            (
                "People",
                "<ul><li>Chief <strong>Executive</strong></li><li>Chair</li></ul><br>"
                '<svg role="img"><title>Quillwort diagram</title><g><text>Boxes</text>'
                '<path d="M0 0"/></g></svg><p>After the diagram.</p>',
            )
        ],
    )
    [document] = pack_version_documents(version)
    assert document.body == "Chief Executive Chair After the diagram."
