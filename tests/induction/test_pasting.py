"""Pasted Word, Google Docs and web-page HTML, and plain text with bullets or tabs, become the
Markdown a section stores; what is left out is said in plain words (induction/pasting/)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from induction.pasting.conversion import MAX_PASTE_LENGTH
from induction.pasting.from_html import convert_html
from induction.pasting.from_text import convert_text
from induction.pasting.submitted import convert_submitted, looks_pasted, pasted_body
from induction.safe_markdown import MAX_BLOCK_LINES, render_markdown, validate_markdown

PASTED = Path(__file__).parent / "pasted"
PICTURES = "pictures must be uploaded to the trust's picture library"


def fragment(name):
    return (PASTED / f"{name}.html").read_text(encoding="utf-8")


def assert_clean_html(markdown):
    """Rendered, the Markdown has no styling attributes and no markup shown as text."""
    html = render_markdown(markdown)
    assert " style=" not in html, html
    # Only the classes the renderer itself gives (table container, footnotes) remain.
    assert set(re.findall(r' class="([^"]*)"', html)) <= {
        "nhsuk-table-container", "footnote", "footnote-ref", "footnote-backref",
    }, html  # fmt: skip
    for leftover in ("&lt;", "Mso", "mso-", "o:p", "font-family", "<span", "[if"):
        assert leftover not in html, (leftover, html)
    return html


def test_word_html_keeps_headings_lists_table_and_links_and_says_what_it_dropped():
    conversion = convert_html(fragment("word_fragment"))

    assert conversion.markdown == (
        "# Your first week\n"
        "\n"
        "Welcome to the trust. The **company secretary** will meet you on *day one*.\n"
        "\n"
        "- Meet the Chief Executive\n"
        "    - Ask for the board calendar\n"
        "- Read the [fit and proper person framework]"
        "(https://www.england.nhs.uk/publication/fit-and-proper-person-test-framework/)\n"
        "\n"
        "1. Sign the declaration of interests\n"
        "2. Return it to the governance team\n"
        "\n"
        "| Meeting | When |\n"
        "| --- | --- |\n"
        "| Board of directors | First Thursday \\| monthly |"
    )
    assert conversion.converted == ("1 heading", "2 lists", "1 table", "1 link")
    assert conversion.dropped == (
        f"1 picture ({PICTURES})",
        "colours and fonts",
        "1 link to a file on your computer (file:///…)",
    )


def test_word_html_renders_to_real_lists_and_a_table_without_word_markup():
    html = assert_clean_html(convert_html(fragment("word_fragment")).markdown)

    assert "<li>Meet the Chief Executive<ul>\n<li>Ask for the board calendar</li>" in html
    assert "<ol>\n<li>Sign the declaration of interests</li>" in html
    assert "<th>Meeting</th>" in html
    assert "<td>First Thursday | monthly</td>" in html
    assert "file:" not in html


def test_google_docs_wrapper_is_not_bold_and_its_styled_spans_keep_bold_and_italic():
    conversion = convert_html(fragment("google_docs"))

    assert conversion.markdown == (
        "# Board meetings\n"
        "\n"
        "Papers go out **a week before** *each meeting*.\n"
        "\n"
        "- Part one is held in public\n"
        "- Ask the [company secretary](mailto:company.secretary@southmoor.example.nhs.uk) "
        "for part two papers"
    )
    assert conversion.converted == ("1 heading", "1 list", "1 link")
    assert conversion.dropped == ("colours and fonts",)
    assert_clean_html(conversion.markdown)


def test_word_footnotes_become_markdown_footnotes():
    conversion = convert_html(fragment("word_footnotes"))

    assert conversion.markdown == (
        "The board meets monthly[^1] and in public twice a year[^2].\n"
        "\n"
        "[^1]: Standing orders, section 4.\n"
        "\n"
        "[^2]: See the *annual report*."
    )
    assert conversion.converted == ("2 footnotes",)
    html = assert_clean_html(conversion.markdown)
    assert '<li id="fn:2">\n<p>See the <em>annual report</em>.' in html


def test_google_docs_footnotes_become_markdown_footnotes():
    html = (
        '<p>Text<sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup>.</p><hr>'
        '<div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a>&nbsp;The note.</p></div>'
    )
    assert convert_html(html).markdown == "Text[^1].\n\n[^1]: The note."


def test_a_footnote_reference_without_its_note_is_dropped_as_a_link():
    conversion = convert_html('<p>Text<a href="#_ftn1">[1]</a>.</p>')
    assert conversion.markdown == "Text[1]."
    assert conversion.dropped == ("1 link to a place within the copied page",)


def test_word_bold_and_italic_with_their_own_style_notes_stay_bold_and_italic():
    html = (
        "<p class=MsoNormal><b style='mso-bidi-font-weight:normal'>Bold</b> and "
        "<i style='mso-bidi-font-style:normal'>italic</i> and "
        "<span style='mso-bidi-font-weight:bold'>plain</span></p>"
    )
    assert convert_html(html).markdown == "**Bold** and *italic* and plain"


def test_web_page_loses_scripts_pictures_frames_forms_and_unsafe_links_and_says_so():
    conversion = convert_html(fragment("web_page"))

    assert conversion.markdown == (
        "# Fit and proper persons\n"
        "\n"
        "Read the [framework](https://www.england.nhs.uk/long-read/"
        "nhs-england-fit-and-proper-person-test-framework-for-board-members/), "
        "the old guide and this.\n"
        "\n"
        "3. Check the register\n"
        "4. Sign the **declaration**\n"
        "\n"
        "Open me or see below or [the pack](/trusts/southmoor/induction/)."
    )
    assert conversion.dropped == (
        f"2 pictures ({PICTURES})",
        "colours and fonts",
        "1 script",
        "1 embedded video or frame",
        "1 form",
        "1 link to an address that is not secure (http://…)",
        "1 link of a kind that cannot be used here (javascript:…)",
        "1 link of a kind that cannot be used here (data:…)",
        "1 link to a place within the copied page",
    )
    html = assert_clean_html(conversion.markdown)
    assert "alert" not in html and "javascript:" not in html and "data:" not in html
    assert '<ol start="3">' in html


def test_several_refused_links_of_one_kind_are_counted_together():
    conversion = convert_html(
        '<p><a href="file:///C:/a.docx">A</a> and <a href="file:///C:/b.docx">B</a></p>'
    )
    assert conversion.markdown == "A and B"
    assert conversion.dropped == ("2 links to a file on your computer (file:///…)",)


def test_headings_deeper_than_a_section_has_become_its_smallest():
    conversion = convert_html("<h1>One</h1><h2>Two</h2><h3>Three</h3><h5>Five</h5><h6>Six</h6>")
    assert conversion.markdown == "# One\n\n## Two\n\n### Three\n\n#### Five\n\n#### Six"


def test_word_numbered_list_starting_later_keeps_its_number():
    paragraph = (
        "<p class=MsoListParagraph style='mso-list:l2 level1 lfo3'><![if !supportLists]>"
        "<span style='mso-list:Ignore'>{n}.<span>&nbsp;&nbsp;</span></span><![endif]>{text}</p>"
    )
    html = paragraph.format(n=4, text="Fourth") + paragraph.format(n=5, text="Fifth")
    assert convert_html(html).markdown == "4. Fourth\n5. Fifth"


def test_a_long_pasted_table_is_split_into_tables_that_repeat_the_header():
    rows = "".join(f"<tr><td>Row {index}</td><td>{index}</td></tr>" for index in range(250))
    markdown = convert_html(f"<table><tr><th>Name</th><th>Number</th></tr>{rows}</table>").markdown

    validate_markdown(markdown)
    blocks = markdown.split("\n\n")
    assert len(blocks) == 3
    assert all(block.startswith("| Name | Number |\n| --- | --- |") for block in blocks)
    assert all(len(block.split("\n")) <= MAX_BLOCK_LINES for block in blocks)
    assert sum(block.count("| Row ") for block in blocks) == 250


def test_a_long_pasted_list_is_broken_by_blank_lines_within_the_block_limit():
    items = "".join(f"<li>Item {index}</li>" for index in range(250))
    markdown = convert_html(f"<ul>{items}</ul>").markdown

    validate_markdown(markdown)
    html = render_markdown(markdown)
    assert html.count("<ul>") == 1 and html.count("<li>") == 250


def test_html_over_the_limit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as refused:
        convert_html("<p>" + "a" * MAX_PASTE_LENGTH + "</p>")
    assert "too large to convert" in refused.value.messages[0]
    assert "Copy a smaller part at a time" in refused.value.messages[0]


def test_deeply_nested_html_is_refused_not_crashed_on():
    with pytest.raises(ValidationError) as refused:
        convert_html("<div>" * 5000 + "deep" + "</div>" * 5000)
    assert "nested too deeply" in refused.value.messages[0]


def test_html_whose_markdown_a_section_could_not_store_is_refused():
    with pytest.raises(ValidationError) as refused:
        convert_html("<p>" + "word " * 11_000 + "</p>")
    assert "could not be converted" in refused.value.messages[0]
    assert "Shorten it to 50,000 characters" in refused.value.messages[0]


def test_word_bullet_text_becomes_a_markdown_list():
    conversion = convert_text(
        "Before you start:\n•\tMeet the chair\no\tAsk for the diary\n•\tRead the papers\nThanks"
    )
    assert conversion.markdown == (
        "Before you start:\n\n"
        "- Meet the chair\n    - Ask for the diary\n- Read the papers\n\nThanks"
    )
    assert conversion.converted == ("1 list",)
    assert conversion.dropped == ()
    assert "<li>Meet the chair<ul>" in render_markdown(conversion.markdown)


def test_bullets_with_dots_dashes_and_numbers_with_tabs_become_lists():
    conversion = convert_text("· One\n– Two\n\n1.\tFirst\n2.\tSecond")
    assert conversion.markdown == "- One\n- Two\n\n1. First\n2. Second"


def test_tab_separated_rows_become_a_table_with_a_header_row():
    conversion = convert_text(
        "Meeting\tWhen\tWho\nBoard\tMonthly\tChair\nAudit\tQuarterly\tA | B\n"
    )
    assert conversion.markdown == (
        "| Meeting | When | Who |\n| --- | --- | --- |\n"
        "| Board | Monthly | Chair |\n| Audit | Quarterly | A \\| B |"
    )
    assert conversion.converted == ("1 table",)
    html = render_markdown(conversion.markdown)
    assert "<th>Meeting</th>" in html and "<td>A | B</td>" in html


def test_plain_text_with_nothing_to_convert_is_unchanged():
    text = "o dear, a line starting with o.\nAnd one row\twith a tab."
    conversion = convert_text(text)
    assert conversion.markdown == text
    assert not conversion.changed


@pytest.mark.parametrize(
    "text",
    [
        "Use <b> for bold in the old system.",
        "If x < y and y > z, then x < z.",
        "Write <p> and </p> around a paragraph.",
        'Markdown is `<table class="x"><tr><td>1</td></tr></table>` in code.',
        "## Heading\n\n- a list\n- typed by hand\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "Tabbed code:\n\n\tindented\tcode\n\tmore\tcode",
        "",
    ],
)
def test_ordinary_prose_and_markdown_do_not_look_pasted(text):
    assert not looks_pasted(text)


@pytest.mark.parametrize(
    "text",
    [
        "<p class=MsoNormal>Hello<o:p></o:p></p>",
        "<!--[if gte mso 9]><xml></xml><![endif]--><p>Hi</p>",
        '<b style="font-weight:normal;" id="docs-internal-guid-1">x</b>',
        "<div><p>One</p><p>Two</p><p>Three</p></div>",
        '<span style="color:red">Red</span>',
        "•\tOne\n•\tTwo",
        "Name\tRole\nAlex\tChair",
    ],
)
def test_pasted_markup_bullets_and_tabs_look_pasted(text):
    assert looks_pasted(text)


@pytest.mark.parametrize("name", ["word_fragment", "google_docs", "web_page"])
def test_converted_text_no_longer_looks_pasted(name):
    assert not looks_pasted(convert_html(fragment(name)).markdown)


def test_markdown_typed_around_pasted_html_keeps_its_own_formatting():
    conversion = convert_submitted(
        "## Typed heading\n\nSome **typed** text.\n\n"
        "<p class=MsoNormal>Pasted <b>bold</b></p>\n<p class=MsoNormal>Second</p>\n\n"
        "After *typed*."
    )
    assert conversion.markdown == (
        "## Typed heading\n\nSome **typed** text.\n\nPasted **bold**\n\nSecond\n\nAfter *typed*."
    )


def test_pasted_body_converts_the_submitted_body_only():
    data = QueryDict(mutable=True)
    data.update({"title": "<b>Title</b>", "body": "•\tOne\n•\tTwo", "revision": "3"})

    pasted = pasted_body(data)

    assert pasted.data["body"] == "- One\n- Two"
    assert pasted.data["title"] == "<b>Title</b>"
    assert data["body"] == "•\tOne\n•\tTwo"  # the request's own data is left alone
    assert pasted.conversion.converted == ("1 list",)
    assert pasted_body(QueryDict("body=Plain+words")) is None
