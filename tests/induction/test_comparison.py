"""Comparing versions section by section: changed text, and sections added, removed, renamed
and moved, whether against a later version or against the draft."""

import copy
import random
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from induction import services
from induction.comparison import compare_versions
from induction.html_diff import diff_html
from induction.safe_markdown import ALLOWED_TAGS, render_markdown
from induction.snapshot import snapshot_draft
from induction.text_diff import Budget

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
    from induction import comparison, text_diff

    spent = []
    real_allows = text_diff.Budget.allows

    def counting(self, old, new):
        allowed = real_allows(self, old, new)
        if allowed:
            spent.append(len(old) * len(new))
        return allowed

    monkeypatch.setattr(text_diff.Budget, "allows", counting)
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


# --- what readers see: the formatted text, changes marked on word boundaries ----------------

VOID_ELEMENTS = {"br", "hr", "img"}


class _Structure(HTMLParser):
    """Checks markup as it is parsed: every element closed in order, `<ins>`/`<del>` never
    nested and holding text only, and records the tags and attributes used."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.tags, self.attributes, self.problems = [], set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {(tag, name) for name, _ in attrs}
        if any(mark in self.open for mark in ("ins", "del")) and tag not in {
            "a", "em", "strong", "code", "sup", "br", "img",
        }:  # fmt: skip
            self.problems.append(f"<{tag}> inside a change mark")
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def structure(html):
    checker = _Structure()
    checker.feed(html)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.open, f"left open: {checker.open}"
    return checker


def text_as(html, version):
    """The words a version had, read from the marked HTML: the old one without the
    additions, the new one without the removals."""
    dropped = "ins" if version == "old" else "del"
    html = re.sub(r"<summary.*?</summary>", " ", html, flags=re.DOTALL)  # "3 unchanged parts"
    html = re.sub(rf"<{dropped}>.*?</{dropped}>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def marked(old_body, new_body):
    (diff,) = compare_versions(_content(old_body), _content(new_body))
    structure(diff.html)
    return diff


RESEARCH_BEFORE = """# What the research found

The Medical Director **held** the [board papers](https://example.org/papers) role.[^1]

| Group | Chair |
|---|---|
| Quality | Jane Doe |

- Meet the chair
- Read the board papers

[^1]: GGI 4.1.2
"""

RESEARCH_AFTER = """# What the research showed

The Medical Director **delegated** the [board papers](https://example.org/papers) role.[^1]

| Group | Chair |
|---|---|
| Quality | John Doe |
| Audit | Sam Roe |

- Meet the chair
- Meet the chief nurse
- Read the board papers

[^1]: GGI 4.1.3
"""


def test_readers_see_formatted_text_not_markdown():
    diff = marked(RESEARCH_BEFORE, RESEARCH_AFTER)
    html = diff.html
    assert "<h3>What the research <del>found</del> <ins>showed</ins></h3>" in html
    assert "<table>" in html and "<th>Group</th>" in html
    assert "<td><del>Jane</del> <ins>John</ins> Doe</td>" in html
    assert "<tr><td><ins>Audit</ins></td><td><ins>Sam Roe</ins></td></tr>" in html
    assert "<li>Meet the chair</li><li><ins>Meet the chief nurse</ins></li>" in html
    assert "GGI <del>4.1.2</del> <ins>4.1.3</ins>" in html
    for markdown in ("# What", "[^1]", "| Group", "**", "](https://"):
        assert markdown not in html
    # The source, for editors, is the Markdown itself.
    assert "# What the research <del>found</del> <ins>showed</ins>" in diff.source_html
    assert "[^1]: GGI <del>4.1.2</del> <ins>4.1.3</ins>" in diff.source_html


def test_a_replaced_word_is_never_jammed_against_its_replacement():
    diff = marked("Research is held here.", "Research is delegated here.")
    assert "is <del>held</del> <ins>delegated</ins> here." in diff.html
    assert "heldelegated" not in text_as(diff.html, "old") + text_as(diff.html, "new")
    assert "is <del>held</del> <ins>delegated</ins> here." in diff.source_html


def test_marks_cover_whole_words_even_across_formatting():
    diff = marked("The **Board**'s papers.", "The **Board**s papers.")
    assert "The <strong><del>Board</del></strong><del>'s</del> " in diff.html
    assert "<strong><ins>Board</ins></strong><ins>s</ins> papers." in diff.html
    diff = marked("Colour", "Color")
    assert diff.html == "<p><del>Colour</del> <ins>Color</ins></p>"


def test_a_changed_word_inside_a_link_keeps_the_link_whole():
    diff = marked(
        "See [the old board papers](https://example.org/p).",
        "See [the new board papers](https://example.org/p).",
    )
    assert diff.html.count("<a ") == 1
    assert (
        '<a href="https://example.org/p" rel="noopener noreferrer">the <del>old</del> '
        "<ins>new</ins> board papers</a>"
    ) in diff.html


def test_each_version_can_be_read_back_from_the_marked_text():
    diff = marked(RESEARCH_BEFORE, RESEARCH_AFTER)
    assert text_as(diff.html, "old").startswith(
        "What the research found The Medical Director held the board papers role. 1"
    )
    assert text_as(diff.html, "new").startswith(
        "What the research showed The Medical Director delegated the board papers role. 1"
    )
    assert "Quality Jane Doe" in text_as(diff.html, "old")
    assert "Quality John Doe Audit Sam Roe" in text_as(diff.html, "new")


def test_added_and_removed_sections_are_shown_formatted_and_marked_whole():
    shorter = _content("First.")
    longer = _content("First.", "## Fresh\n\n- New *text*\n- another")
    (_, added) = compare_versions(shorter, longer)
    (_, removed) = compare_versions(longer, shorter)
    assert (added.status, removed.status) == ("added", "removed")
    assert added.html == (
        "<h4><ins>Fresh</ins></h4>"
        "<ul><li><ins>New </ins><em><ins>text</ins></em></li><li><ins>another</ins></li></ul>"
    )
    assert removed.html == added.html.replace("ins>", "del>")
    structure(added.html)


def test_structured_sections_are_compared_as_the_words_readers_see():
    old = {
        "board_role_name": "Medical Director",
        "sections": [
            {
                "title": "The role here",
                "kind": "responsibilities",
                "body": "",
                "responsibilities": [
                    {"slug": "ro", "title": "Responsible Officer", "status": "held",
                     "note": "Since *2019*."},
                ],
            }
        ],
    }  # fmt: skip
    new = copy.deepcopy(old)
    new["sections"][0]["responsibilities"][0] |= {
        "status": "delegated",
        "delegated_to": "the Deputy Medical Director",
    }
    (diff,) = compare_versions(old, new)
    structure(diff.html)
    assert "<li><strong>Responsible Officer</strong>: " in diff.html
    assert (
        ": <del>Held by the</del> <ins>Delegated to the Deputy</ins> Medical Director."
    ) in diff.html
    assert "<em>2019</em>" in diff.html


HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](//evil.example/x)",
    "![x](https://evil.example/track.png)",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "</p></li></ul></table><del>",
    "<ins><del>nested</del></ins>",
    "&lt;script&gt; & <b>bold</b>",
    "x" * 100 + "<" * 50,
]


@pytest.mark.parametrize("hostile", HOSTILE_MARKDOWN)
def test_hostile_input_never_makes_unsafe_or_malformed_html(hostile):
    for old, new in [("Plain words.", hostile), (hostile, "Plain words."),
                     (hostile, hostile + " more")]:  # fmt: skip
        diff = marked(old, new)
        checker = structure(diff.html)
        assert checker.tags <= ALLOWED_TAGS | {"ins", "del"}, checker.tags
        assert not {name for _, name in checker.attributes if name.startswith("on")}
        assert "javascript:" not in diff.html and "//evil" not in diff.html
        assert "<script" not in diff.html and "<b>" not in diff.html
        structure(f"<pre>{diff.source_html}</pre>")
        assert "<script" not in diff.source_html and "<b>" not in diff.source_html


def test_ids_are_dropped_and_links_within_the_page_unwrapped():
    """Both versions share the compare page: their heading and footnote ids would collide."""
    diff = marked(
        "## Heading\n\nText[^a].\n\n[^a]: Note.", "## Heading\n\nText[^a] too.\n\n[^a]: Note."
    )
    assert " id=" not in diff.html
    assert 'href="#' not in diff.html
    assert "Back to" not in diff.html  # the footnote's back-link has nowhere to go here


@pytest.mark.parametrize("seed", range(20))
def test_random_edits_keep_both_versions_readable_and_the_markup_whole(seed):
    rng = random.Random(seed)
    words = ["board", "**chair**", "*risk*", "`code`", "[link](https://example.org)", "MD"]
    lines = ["- ", "1. ", "# ", "> ", "| a | b |\n|---|---|\n| ", ""]

    def text():
        return "\n\n".join(
            rng.choice(lines) + " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(1, 6))
        )

    old, new = text(), text()
    diff = marked(old, new)
    # The same texts compared with themselves: each version as the page shows it unmarked.
    old_alone = diff_html(render_markdown(old), render_markdown(old), Budget())
    new_alone = diff_html(render_markdown(new), render_markdown(new), Budget())
    assert "<ins>" not in old_alone + new_alone and "<del>" not in old_alone + new_alone
    assert text_as(diff.html, "old") == text_as(old_alone, "old")
    assert text_as(diff.html, "new") == text_as(new_alone, "new")


def test_unchanged_blocks_away_from_the_changes_are_folded_away():
    paragraphs = [f"Paragraph {number} stays." for number in range(1, 6)]
    old = "## Heading\n\n" + "\n\n".join(paragraphs) + "\n\nThe end is near."
    new = old.replace("The end is near.", "The end is here.")
    diff = marked(old, new)
    assert diff.html.startswith('<details class="nhsuk-details app-diff__unchanged">')
    assert "6 unchanged parts" in diff.html
    assert "<p>Paragraph 1 stays.</p>" in diff.html  # still there to read, inside the details
    assert diff.html.endswith("</details><p>The end is <del>near.</del> <ins>here.</ins></p>")
    # An unchanged heading just before a change stays in view as its signpost.
    assert text_as(diff.html, "new") == text_as(
        diff_html(new_rendered := render_markdown(new), new_rendered, Budget()), "new"
    )
    diff = marked("## Heading\n\nOld words.", "## Heading\n\nNew words.")
    assert diff.html == "<h4>Heading</h4><p><del>Old</del> <ins>New</ins> words.</p>"


def test_a_very_long_section_is_compared_as_its_source_so_one_section_stays_quick():
    from induction.comparison import FORMATTED_SECTION_CHARACTERS

    long_text = "# Title\n\n" + "word " * (FORMATTED_SECTION_CHARACTERS // 5)
    (diff,) = compare_versions(_content(long_text), _content(long_text + " more"))
    assert not diff.formatted
    assert diff.html == diff.source_html
    assert diff.html.startswith("# Title")  # the source, as written
    (diff,) = compare_versions(_content("# Title\n\nShort."), _content("# Title\n\nBrief."))
    assert diff.formatted and diff.html.startswith("<h3>Title</h3>")


def test_past_the_rendering_time_the_remaining_sections_are_compared_as_their_source(
    monkeypatch,
):
    from induction import comparison

    ticks = iter(range(100))
    monkeypatch.setattr(comparison.time, "perf_counter", lambda: next(ticks))
    monkeypatch.setattr(comparison, "RENDER_SECONDS", 2.5)
    old = _content(*(f"Section text {n}." for n in range(5)))
    new = _content(*(f"Section words {n}." for n in range(5)))
    diffs = compare_versions(old, new)
    # The clock starts at 0 with a deadline of 2.5; each section's check is one tick later.
    assert [diff.formatted for diff in diffs] == [True, True, False, False, False]
    assert diffs[0].html == "<p>Section <del>text</del> <ins>words</ins> 0.</p>"
    assert diffs[4].html == "Section <del>text</del> <ins>words</ins> 4."


# Markdown's punctuation, hostile HTML and links, and words, mixed at random.
MARKDOWN_PIECES = st.sampled_from(
    [
        "#", "##", "-", "*", "**", "_", "`", ">", "|", "[", "]", "(", ")", "!", "^", ":", "\n",
        "\n\n", "    ", "1.", " ", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))", "[^1]", "[^1]: note", "| a | b |\n|---|---|\n| c | d |",
        "[link](https://example.org)", "</p></li>", "<ins>", "<del>", "&amp;", "board",
        "Medical Director", "held", "delegated",
    ]
)  # fmt: skip
MARKDOWN = st.lists(MARKDOWN_PIECES, max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=MARKDOWN, new=MARKDOWN)
def test_any_two_texts_compare_to_whole_safe_markup_that_reads_back_as_each(old, new):
    (diff,) = compare_versions(_content(old), _content(new))
    if diff.status == "unchanged":
        return
    checker = structure(diff.html)
    assert checker.tags <= ALLOWED_TAGS | {"ins", "del", "details", "summary", "span"}
    assert not [name for _, name in checker.attributes if name.startswith("on") or name == "id"]
    for href in re.findall(r'href="([^"]*)"', diff.html):
        assert re.match(r"(https://|mailto:|/[^/])", href), href
    structure(f"<pre>{diff.source_html}</pre>")
    old_alone = diff_html(render_markdown(old), render_markdown(old), Budget())
    new_alone = diff_html(render_markdown(new), render_markdown(new), Budget())
    assert text_as(diff.html, "old") == text_as(old_alone, "old")
    assert text_as(diff.html, "new") == text_as(new_alone, "new")


def test_two_links_side_by_side_stay_two_links():
    diff = marked("x", "[one](https://example.org)[two](https://example.org)")
    assert diff.html.count("<a ") == 2


def test_comparing_snapshots_without_a_board_role_name_words_them_as_rendering_does(
    published, editor
):
    old = copy.deepcopy(published.content)
    section = published.pack.sections.get(kind="responsibilities")
    overlay = section.overlays.first()
    services.save_section(
        section=section, user=editor, expected_revision=section.revision,
        overlays={overlay.pk: {"status": "not_applicable"}},
    )  # fmt: skip
    new = snapshot_draft(published.pack)
    del old["board_role_name"], new["board_role_name"]
    changed = [diff for diff in compare_versions(old, new) if diff.changed]
    assert "Held by the board role-holder" in unescape(changed[0].html)
    assert "Held by the </del>" not in changed[0].html and "Held by the .<" not in changed[0].html
