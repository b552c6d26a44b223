"""Comparing versions section by section: changed text, and sections added, removed, renamed
and moved, whether against a later version or against the draft."""

import pytest

from induction import services
from induction.comparison import compare_versions
from induction.snapshot import snapshot_draft

# The baseline pack's sections, in order.
BASELINE_TITLES = [
    "Welcome",
    "About Testshire Hospitals NHS Foundation Trust",
    "The Medical Director role here",
    "Reporting lines and who is who",
    "Working with the board",
    "Clinical practice arrangements",
    "Your first 100 days",
    "Support and development",
    "Key documents and contacts",
    "Glossary",
]


@pytest.fixture(params=["a later version", "the draft"])
def newer(request, editor_approver):
    """What a version is compared with: the draft published as the next version, or the
    draft's snapshot itself (as the publish page compares it)."""

    def make(pack):
        if request.param == "the draft":
            return snapshot_draft(pack)
        return pack.publish(user=editor_approver)

    return make


def summary(diffs):
    return [(diff.title, diff.description) for diff in diffs]


def move_up(pack, user, title, places):
    section = pack.sections.get(title=title)
    for _ in range(places):
        services.move_section(section=section, user=user, direction="up")


def test_compare_versions_marks_changed_text_section_by_section(published, editor, editor_approver):
    pack = published.pack
    welcome = pack.sections.get(order=1)
    services.save_section(
        section=welcome,
        user=editor,
        expected_revision=1,
        body=welcome.body.replace("Welcome to", "A warm welcome to") + "\n\n<b>new</b>",
    )
    services.remove_section(
        section=pack.sections.get(title="Key documents and contacts"),
        user=editor,
        expected_revision=1,
    )
    services.add_section(pack=pack, user=editor, title="Parking", body="Car park B.")
    second = pack.publish(user=editor_approver)
    diffs = compare_versions(published, second)
    by_title = {d.title: d for d in diffs}
    assert by_title["Welcome"].status == "changed"
    assert "<ins>A warm welcome</ins>" in by_title["Welcome"].html
    assert "<del>Welcome</del>" in by_title["Welcome"].html
    assert "&lt;b&gt;new&lt;/b&gt;" in by_title["Welcome"].html  # escaped, not markup
    assert by_title["Key documents and contacts"].status == "removed"
    assert by_title["Parking"].status == "added"
    assert by_title["Glossary"].status == "unchanged"
    assert not by_title["Glossary"].changed


def test_moving_a_section_up_reports_only_it_as_moved(published, editor, newer):
    pack = published.pack
    move_up(pack, editor, "Working with the board", places=2)
    diffs = compare_versions(published, newer(pack))
    assert summary(diffs) == [
        ("Welcome", "unchanged"),
        ("About Testshire Hospitals NHS Foundation Trust", "unchanged"),
        ("Working with the board", "moved"),
        ("The Medical Director role here", "unchanged"),
        ("Reporting lines and who is who", "unchanged"),
        ("Clinical practice arrangements", "unchanged"),
        ("Your first 100 days", "unchanged"),
        ("Support and development", "unchanged"),
        ("Key documents and contacts", "unchanged"),
        ("Glossary", "unchanged"),
    ]
    moved = diffs[2]
    assert (moved.status, moved.moved, moved.changed) == ("unchanged", True, True)
    assert (moved.old_title, moved.new_title) == ("Working with the board",) * 2
    assert "<ins>" not in moved.html and "<del>" not in moved.html


def test_a_moved_and_edited_section_is_moved_and_changed(published, editor, newer):
    pack = published.pack
    move_up(pack, editor, "Working with the board", places=2)
    section = pack.sections.get(title="Working with the board")
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        body=section.body + "\n\nBoard meetings are on Thursdays.",
    )
    diffs = compare_versions(published, newer(pack))
    changed = [diff for diff in diffs if diff.changed]
    assert summary(changed) == [("Working with the board", "moved and changed")]
    assert (changed[0].status, changed[0].moved) == ("changed", True)
    assert "Board meetings are on Thursdays.</ins>" in changed[0].html


def test_a_removed_section_appears_where_it_stood(published, editor, newer):
    pack = published.pack
    services.remove_section(
        section=pack.sections.get(title="Working with the board"),
        user=editor,
        expected_revision=1,
    )
    diffs = compare_versions(published, newer(pack))
    assert summary(diffs) == [
        ("Welcome", "unchanged"),
        ("About Testshire Hospitals NHS Foundation Trust", "unchanged"),
        ("The Medical Director role here", "unchanged"),
        ("Reporting lines and who is who", "unchanged"),
        ("Working with the board", "removed"),
        ("Clinical practice arrangements", "unchanged"),
        ("Your first 100 days", "unchanged"),
        ("Support and development", "unchanged"),
        ("Key documents and contacts", "unchanged"),
        ("Glossary", "unchanged"),
    ]
    assert (diffs[4].old_title, diffs[4].new_title) == ("Working with the board", None)


def test_a_section_renamed_in_place_is_changed_with_its_old_and_new_titles(
    published, editor, newer
):
    pack = published.pack
    services.save_section(
        section=pack.sections.get(order=1), user=editor, expected_revision=1, title="Hello"
    )
    diffs = compare_versions(published, newer(pack))
    assert summary(diffs) == [("Hello", "changed")] + [
        (title, "unchanged") for title in BASELINE_TITLES[1:]
    ]
    renamed = diffs[0]
    assert (renamed.old_title, renamed.new_title, renamed.moved) == ("Welcome", "Hello", False)


def test_swapping_two_adjacent_sections_reports_exactly_one_as_moved(published, editor, newer):
    pack = published.pack
    services.move_section(
        section=pack.sections.get(title="Reporting lines and who is who"),
        user=editor,
        direction="down",
    )
    diffs = compare_versions(published, newer(pack))
    assert [diff.title for diff in diffs] == [
        "Welcome",
        "About Testshire Hospitals NHS Foundation Trust",
        "The Medical Director role here",
        "Working with the board",
        "Reporting lines and who is who",
        *BASELINE_TITLES[5:],
    ]
    moved = [diff for diff in diffs if diff.changed]
    assert len(moved) == 1
    assert moved[0].description == "moved"
    assert moved[0].title in {"Working with the board", "Reporting lines and who is who"}
    assert {diff.status for diff in diffs} == {"unchanged"}


# --- bounded in time ------------------------------------------------------------------------


def _content(*bodies):
    return {
        "board_role_name": "Medical Director",
        "sections": [
            {"title": f"Section {n}", "kind": "markdown", "body": body}
            for n, body in enumerate(bodies, start=1)
        ],
    }


def test_a_small_edit_in_a_long_paragraph_is_marked_word_by_word():
    old = "The board meets monthly. " * 2000
    new = old.replace("meets monthly. The", "meets quarterly. The", 1)
    (diff,) = compare_versions(_content(old), _content(new))
    assert diff.html.count("<del>") == 1 and diff.html.count("<ins>") == 1
    assert "meets <del>monthly.</del> <ins>quarterly.</ins> The" in diff.html


def test_a_pathological_rewrite_is_shown_as_rewritten_rather_than_matched_word_by_word():
    """Interleaved repeated words make difflib's matcher quadratic: past the matching budget
    the changed run is one removal and one addition, so the comparison stays bounded."""
    old, new = "a b " * 6000, "b a " * 6000
    (diff,) = compare_versions(_content(old), _content(new))
    assert diff.status == "changed"
    assert diff.html.count("<del>") == 1 and diff.html.count("<ins>") == 1


def test_the_budget_is_shared_by_every_section_of_one_comparison(monkeypatch):
    """One comparison has one budget: forty hostile sections cannot spend forty budgets."""
    from induction import comparison, html_diff

    spent = []
    real_allows = html_diff.Budget.allows

    def counting(self, old, new):
        allowed = real_allows(self, old, new)
        if allowed:
            spent.append(len(old) * len(new))
        return allowed

    monkeypatch.setattr(html_diff.Budget, "allows", counting)
    old = ["a b " * 1500] * 40
    new = ["b a " * 1500] * 40
    compare_versions(_content(*old), _content(*new))
    assert sum(spent) <= comparison.MATCHING_BUDGET


def test_listing_what_happened_gives_the_same_statuses_without_marking_words():
    old = _content("Same.", "Old words here.", "Gone soon.")
    edited = old["sections"][1] | {"body": "New words here."}
    new = {**old, "sections": [edited, old["sections"][0]]}
    marked = compare_versions(old, new)
    listed = compare_versions(old, new, marked=False)
    assert [(d.title, d.description) for d in listed] == [(d.title, d.description) for d in marked]
    assert [d.description for d in listed] == ["moved and changed", "unchanged", "removed"]
    assert all(d.html == "" for d in listed)
    assert any("<ins>" in d.html for d in marked)
