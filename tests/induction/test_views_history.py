"""History: the list of versions, comparing two, restoring one, and the audit trail."""

import copy
import datetime
import importlib
import re
from html import unescape

import pytest
from django.utils import timezone

from induction import services
from induction.models import AuditEvent, InductionPack, PackVersion, Section

from .ui_helpers import hidden_value, make_version, page


@pytest.fixture
def public_pack(pack):
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    return pack


def test_history_lists_versions_with_who_published_and_approved(client, pack, editor_approver):
    pack.publish(user=editor_approver, change_summary="First version")
    client.force_login(editor_approver)
    html = client.get(page("history", pack)).content.decode()
    assert "Version 1" in html
    assert "First version" in html
    assert "hr-admin" in html
    assert f'href="{page("version_restore", pack, number=1)}"' in html


def test_history_offers_restore_to_editors_only(client, pack, published, reader):
    client.force_login(reader)
    html = client.get(page("history", pack)).content.decode()
    assert "Version 1" in html
    assert page("version_restore", pack, number=1) not in html


def test_compare_marks_changed_words_section_by_section(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    response = client.get(page("compare", public_pack), {"from": 1, "to": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Compare version 1 with version 2" in html
    assert "<del>" in html and "<ins>" in html
    assert 'class="app-diff"' in html
    assert "Removed words are <del>struck through</del>" in html


def test_compare_without_choice_shows_the_form_only(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    html = client.get(page("compare", public_pack)).content.decode()
    assert 'name="from"' in html and 'name="to"' in html
    assert "nhsuk-error-summary" not in html


def test_compare_same_or_unknown_version_says_what_to_do(client, public_pack):
    make_version(public_pack, 1)
    make_version(public_pack, 2)
    html = client.get(page("compare", public_pack), {"from": 1, "to": 1}).content.decode()
    assert "Choose two different versions to compare" in html
    html = client.get(page("compare", public_pack), {"from": 1, "to": 7}).content.decode()
    assert '<a href="#id_to">Choose one of the published versions</a>' in html


def test_restore_asks_first_then_copies_the_version_into_the_draft(
    client, pack, published, editor_approver
):
    section = pack.sections.filter(kind=Section.Kind.MARKDOWN).first()
    original_title = section.title
    section.title = "Renamed in the draft"
    section.save()
    client.force_login(editor_approver)
    url = page("version_restore", pack, number=1)
    html = client.get(url).content.decode()
    assert "Restore version 1 into the draft?" in html
    assert pack.sections.filter(title="Renamed in the draft").exists()
    response = client.post(url, {"revision": hidden_value(html, "revision")})
    assert response.status_code == 302
    assert response["Location"] == page("pack_edit", pack)
    assert pack.sections.filter(title=original_title).exists()
    assert not pack.sections.filter(title="Renamed in the draft").exists()
    assert pack.versions.count() == 1


def test_a_restore_confirmed_after_a_colleague_edited_the_draft_keeps_their_edit(
    client, pack, published, editor, second_editor
):
    """The confirmation page said nothing of unpublished changes when it was opened; a
    colleague's edit saved after that must not be undone by it, silently or otherwise."""
    client.force_login(editor)
    url = page("version_restore", pack, number=1)
    loaded = hidden_value(client.get(url).content.decode(), "revision")
    welcome = pack.sections.get(order=1)
    services.save_section(
        section=welcome, user=second_editor, expected_revision=welcome.revision,
        body="A colleague's edit, saved while the editor was deciding.",
    )  # fmt: skip

    response = client.post(url, {"revision": loaded}, follow=True)

    html = unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == url
    assert "The draft changed while you were deciding, so it was not replaced" in html
    assert "The draft has unpublished changes" in html
    assert hidden_value(html, "revision") != loaded
    assert pack.sections.get(order=1).body == (
        "A colleague's edit, saved while the editor was deciding."
    )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RESTORED).exists()


def test_audit_trail_lists_edits_and_publications(client, pack, published, editor):
    client.force_login(editor)
    html = client.get(page("audit", pack)).content.decode()
    assert "Published a version" in html
    assert "hr-admin" in html


def test_audit_trail_pages_in_fifties(client, pack, editor):
    AuditEvent.objects.bulk_create(
        AuditEvent(trust=pack.trust, pack=pack, actor=editor, action="section_edited")
        for _ in range(60)
    )
    client.force_login(editor)
    first = client.get(page("audit", pack)).content.decode()
    assert first.count("Edited a section") == 50
    assert 'href="?page=2"' in first
    second = client.get(page("audit", pack), {"page": 2}).content.decode()
    assert second.count("Edited a section") == 10


def test_the_audit_trail_pages_with_the_one_nhs_pagination_component(client, pack, editor):
    AuditEvent.objects.bulk_create(
        AuditEvent(trust=pack.trust, pack=pack, actor=editor, action="section_edited")
        for _ in range(120)
    )
    client.force_login(editor)
    html = client.get(page("audit", pack), {"page": 2}).content.decode()
    nav = html[html.index('<nav class="nhsuk-pagination"') :].split("</nav>", 1)[0]
    assert 'aria-label="Pages of the audit trail"' in nav
    assert 'href="?page=1" rel="prev"' in nav and 'href="?page=3" rel="next"' in nav
    assert 'Newer<span class="nhsuk-u-visually-hidden"> entries</span>' in nav
    assert 'Older<span class="nhsuk-u-visually-hidden"> entries</span>' in nav
    assert '<span class="nhsuk-pagination__page">Page 3 of 3</span>' in nav
    assert "nhsuk-icon--arrow-right" in nav


@pytest.mark.parametrize("count", [1, 10])
def test_history_pages_keep_to_a_query_budget(
    client, public_pack, editor, count, django_assert_max_num_queries
):
    for number in range(1, count + 1):
        make_version(public_pack, number, published_by=editor)
    AuditEvent.objects.bulk_create(
        AuditEvent(trust=public_pack.trust, pack=public_pack, actor=editor, action="published")
        for _ in range(count)
    )
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        assert client.get(page("history", public_pack)).status_code == 200
    with django_assert_max_num_queries(8):
        url = page("compare", public_pack)
        assert client.get(url, {"from": 1, "to": count if count > 1 else 1}).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(page("audit", public_pack)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(page("version_restore", public_pack, number=1)).status_code == 200


def test_compare_shows_changed_sections_and_lists_unchanged_ones_briefly(client, public_pack):
    first = make_version(public_pack, 1, sections=3)
    content = copy.deepcopy(first.content)
    content["sections"][1]["body"] = "A rewritten second section."
    PackVersion.objects.create(
        pack=public_pack, number=2, content=content, rendered_html="<p>x</p>",
        published_at=first.published_at, next_review_date=first.next_review_date,
    )  # fmt: skip
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    assert "1 section changed" in html
    assert '<h2 id="diff-2">Section 2 of version 1' in html
    assert "<ins>" in html and "rewritten" in html
    assert "Sections with no changes" in html
    assert "<li>Section 1 of version 1</li>" in html
    assert "<li>Section 3 of version 1</li>" in html


def test_compare_of_two_published_versions_is_worked_out_once(client, public_pack, monkeypatch):
    """Published versions never change, so a second request reuses the first comparison."""
    # The module, not the view of the same name that induction.views exports.
    history = importlib.import_module("induction.views.history")

    make_version(public_pack, 1)
    make_version(public_pack, 2)
    calls = []
    real_compare = history.compare_versions
    monkeypatch.setattr(
        history, "compare_versions", lambda old, new: calls.append(1) or real_compare(old, new)
    )
    first = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content
    second = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content
    assert len(calls) == 1
    assert first == second
    assert b"<ins>" in second


def _version_with_body(pack, number, body):
    """A version of three sections, the same in every version but for the second's body."""
    sections = [
        {"anchor": f"section-{index}", "title": f"Section {index}", "kind": "markdown",
         "body": f"Unchanged text {index}."}
        for index in range(1, 4)
    ]  # fmt: skip
    sections[1]["body"] = body
    now = timezone.now()
    return PackVersion.objects.create(
        pack=pack, number=number, rendered_html="<p>x</p>", published_at=now,
        next_review_date=(now + datetime.timedelta(days=365)).date(),
        content={"board_role_name": "Medical Director", "sections": sections},
    )  # fmt: skip


@pytest.fixture
def research_versions(public_pack):
    first = _version_with_body(
        public_pack,
        1,
        "# What the research found\n\nThe role is **held** here.[^1]\n\n"
        "| Group | Chair |\n|---|---|\n| Quality | Jane |\n\n[^1]: GGI 4.1.2",
    )
    second = _version_with_body(
        public_pack,
        2,
        "# What the research showed\n\nThe role is **delegated** here.[^1]\n\n"
        "| Group | Chair |\n|---|---|\n| Quality | John |\n\n[^1]: GGI 4.1.3",
    )
    return first, second


def test_readers_see_the_changed_section_formatted_without_its_markdown(
    client, public_pack, research_versions, reader
):
    client.force_login(reader)
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    assert "<h3>What the research <del>found</del> <ins>showed</ins></h3>" in html
    assert "The role is <strong><del>held</del> <ins>delegated</ins></strong> here." in html
    assert "<td><del>Jane</del> <ins>John</ins></td>" in html
    for markdown in ("# What the research", "[^1]", "| Group |", "**held**"):
        assert markdown not in html
    assert "Show the Markdown source changes" not in html


def test_anonymous_readers_of_a_public_pack_see_no_source_either(
    client, public_pack, research_versions
):
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    assert "<del>found</del> <ins>showed</ins>" in html
    assert "Show the Markdown source changes" not in html and "[^1]" not in html


def test_editors_may_also_see_the_markdown_source_changes(
    client, public_pack, research_versions, editor
):
    client.force_login(editor)
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    assert "<h3>What the research <del>found</del> <ins>showed</ins></h3>" in html
    assert '<details class="nhsuk-details">' in html
    assert "Show the Markdown source changes" in html
    assert "# What the research <del>found</del> <ins>showed</ins>" in html
    assert "[^1]: GGI <del>4.1.2</del> <ins>4.1.3</ins>" in html


def test_one_cached_comparison_serves_readers_and_editors_each_their_own_view(
    client, public_pack, research_versions, editor, reader
):
    client.force_login(editor)
    assert (
        b"Show the Markdown source changes"
        in client.get(page("compare", public_pack), {"from": 1, "to": 2}).content
    )
    client.force_login(reader)
    assert (
        b"Show the Markdown source changes"
        not in client.get(page("compare", public_pack), {"from": 1, "to": 2}).content
    )


def test_hostile_markdown_in_a_version_is_compared_safely(client, public_pack):
    _version_with_body(public_pack, 1, "Plain words.")
    _version_with_body(
        public_pack,
        2,
        '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
        "\n\n</p></del><ins>",
    )
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    start = html.index('class="app-diff"')
    diff = html[start : html.index("</section>", start)]
    tags = re.findall(r"<[^>]+>", diff)
    assert not [tag for tag in tags if re.search(r"javascript|onerror|<script|<img", tag)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in diff


class _AnyComparison:
    def __eq__(self, key):
        return key.startswith("induction:compare:")


ANY_COMPARISON = _AnyComparison()


def test_a_comparison_that_ran_out_of_rendering_time_says_so_and_is_not_kept_for_good(
    client, public_pack, research_versions, monkeypatch
):
    """Past the comparison's rendering time the remaining sections are shown as written, with
    a note, and the result is cached only for a while, so a quieter moment does better."""
    from django.core.cache import cache

    comparison = importlib.import_module("induction.comparison")
    history = importlib.import_module("induction.views.history")
    monkeypatch.setattr(comparison, "RENDER_SECONDS", 0)
    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout: (
            timeouts.append((key, timeout)) or real_set(key, value, timeout)
        ),
    )
    response = client.get(page("compare", public_pack), {"from": 1, "to": 2})
    html = response.content.decode()
    assert "shown as its authors wrote it" in html
    assert "# What the research <del>found</del> <ins>showed</ins>" in html
    assert timeouts == [(ANY_COMPARISON, history.PARTIAL_COMPARISON_SECONDS)]
    # Nor is the page kept, by the page cache or by a shared cache.
    assert response["Cache-Control"] == "private, no-cache"
    assert "X-Page-Cache" not in client.get(page("compare", public_pack), {"from": 1, "to": 2})


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
@pytest.mark.parametrize("sections", [1, 20])
def test_compare_keeps_to_a_query_budget_whoever_reads_it_and_however_much_changed(
    client, public_pack, reader, editor, who, sections, django_assert_max_num_queries
):
    make_version(public_pack, 1, sections=sections)
    make_version(public_pack, 2, sections=sections)
    if who != "anonymous":
        client.force_login(reader if who == "reader" else editor)
    for _ in range(2):  # worked out, then from the cache
        with django_assert_max_num_queries(8):
            response = client.get(page("compare", public_pack), {"from": 1, "to": 2})
        assert response.status_code == 200
        assert response.content.count(b'class="app-diff"') == sections


def test_the_compare_page_shows_a_moved_section_as_moved_never_added_and_removed(
    client, public_pack, editor, editor_approver
):
    public_pack.publish(user=editor_approver)
    glossary = public_pack.sections.get(title="Glossary")
    for _ in range(3):
        services.move_section(section=glossary, user=editor, direction="up")
    public_pack.publish(user=editor_approver)
    html = client.get(page("compare", public_pack), {"from": 1, "to": 2}).content.decode()
    assert "1 section changed." in html
    assert '<strong class="nhsuk-tag nhsuk-tag--purple">Moved</strong>' in html
    assert "The text is the same; only its place in the pack changed." in html
    assert ">Added</strong>" not in html and ">Removed</strong>" not in html
