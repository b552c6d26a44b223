"""Markdown that would take the parser seconds is refused on the way in and shown as plain
text if it is ever met: a block of many lines with no blank line costs the square of its
length (50,000 characters of "a\\n-\\n" once took 7.5 s to render). A link's text and address
are read a bounded distance: 1,000 unclosed "[" before 49,000 letters once took 14 s."""

import pytest
from django.core.exceptions import ValidationError
from markdown.inlinepatterns import LinkInlineProcessor

from induction.safe_markdown import (
    MAX_ASTERISKS_IN_A_BLOCK,
    MAX_BLOCK_LINES,
    MAX_HEADINGS,
    MAX_LINK_ADDRESS,
    MAX_LINK_TEXT,
    MAX_MARKDOWN_LENGTH,
    MAX_SQUARE_BRACKETS,
    render_markdown,
    validate_markdown,
)

SETEXT_HEADINGS = "a\n-\n" * 12_500  # 25,000 lines, one block: 12,500 headings


def test_a_block_longer_than_the_limit_is_refused_with_what_to_do():
    with pytest.raises(ValidationError) as error:
        validate_markdown(SETEXT_HEADINGS)
    (message,) = error.value.messages
    assert "runs to 25,000 lines with no blank line between them" in message
    assert f"the most is {MAX_BLOCK_LINES}" in message


def test_a_block_at_the_limit_is_accepted_and_rendered():
    table = "| Who | For |\n|---|---|\n" + "| Name | Role |\n" * (MAX_BLOCK_LINES - 2)
    validate_markdown(table)
    assert render_markdown(table).count("<tr>") == MAX_BLOCK_LINES - 1


def test_the_same_lines_split_by_blank_lines_are_accepted():
    split = "\n\n".join(["a\n-\n" * (MAX_BLOCK_LINES // 2)] * (MAX_HEADINGS // 50))
    validate_markdown(split)
    assert render_markdown(split, base_level=2).count("<h3") == MAX_HEADINGS


def test_an_over_long_block_met_when_rendering_is_shown_as_text_not_parsed():
    """Stored before the limit, or frozen in an old version: rendered as escaped text, which
    is linear, rather than parsed into 12,500 headings."""
    html = render_markdown(SETEXT_HEADINGS)
    assert "<h" not in html
    assert html.count("a") >= 12_500


# Within every other limit (length, square brackets, lines in a block), each of these once took
# Python-Markdown 8 to 19 seconds: every "[" (or "](") was read to the end of the paragraph.
UNCLOSED_LINKS = {
    "unclosed brackets": "[" * MAX_SQUARE_BRACKETS + "a" * 49_000,
    "brackets closed far away": "[" * 999 + "a" * 48_000 + "]" * 999,
    "unclosed addresses": "[a](" * 999 + "b" * 46_000,
    "unclosed picture addresses": "![a](" * 999 + "b" * 45_000,
    "unclosed footnote references": "[^" * 999 + "b" * 48_000,
}


@pytest.fixture
def scans(monkeypatch):
    """How far each read of a link's text and address could go: the characters after where
    it starts, in what Python-Markdown's link patterns are given to read."""
    seen = {"text": [], "address": []}
    for method, kind in (("getText", "text"), ("getLink", "address")):
        original = getattr(LinkInlineProcessor, method)

        def recording(self, data, index, original=original, kind=kind):
            seen[kind].append(len(data) - index)
            return original(self, data, index)

        monkeypatch.setattr(LinkInlineProcessor, method, recording)
    return seen


@pytest.mark.parametrize("text", UNCLOSED_LINKS.values(), ids=UNCLOSED_LINKS.keys())
def test_unclosed_links_are_read_a_bounded_distance_so_rendering_stays_quick(scans, text):
    assert len(text) <= MAX_MARKDOWN_LENGTH
    validate_markdown(text)
    render_markdown(text)
    assert scans["text"], "the link patterns were not used"
    assert max(scans["text"]) <= MAX_LINK_TEXT
    assert max(scans["address"], default=0) <= MAX_LINK_ADDRESS


def test_a_link_is_still_a_link_however_far_into_a_long_paragraph():
    before = "word " * 9_000
    html = render_markdown(f"{before}[the board's policy [2024]](https://example.nhs.uk/p) end")
    assert '<a href="https://example.nhs.uk/p" rel="noopener noreferrer">' in html
    assert "the board's policy [2024]</a> end" in html


def test_a_link_whose_text_or_address_runs_past_the_limit_is_left_as_typed():
    long_text = "a" * (MAX_LINK_TEXT + 1)
    long_address = "https://example.nhs.uk/" + "p" * MAX_LINK_ADDRESS
    for markdown in (f"[{long_text}](https://example.nhs.uk/)", f"[Policy]({long_address})"):
        html = render_markdown(markdown)
        assert "<a " not in html
        assert html.startswith("<p>[")


# One emphasis holding 16,665 bold words, 33,332 asterisks in one paragraph: over a second.
EMPHASIS_RUNS = "*b*" * 16_666


def test_a_block_with_more_asterisks_than_the_limit_is_refused_with_what_to_do():
    with pytest.raises(ValidationError) as error:
        validate_markdown(EMPHASIS_RUNS)
    (message,) = error.value.messages
    assert "has 33,332 asterisks (*)" in message
    assert f"the most is {MAX_ASTERISKS_IN_A_BLOCK:,}" in message


def test_emphasis_up_to_the_limit_in_a_block_or_more_across_blocks_is_accepted():
    at_the_limit = "*b*" * (MAX_ASTERISKS_IN_A_BLOCK // 2)
    validate_markdown(at_the_limit)
    assert render_markdown(at_the_limit).startswith("<p><em>b<strong>b</strong>")
    validate_markdown("\n\n".join(["**Bold** and *italic*."] * 2_000))


def test_too_many_asterisks_met_when_rendering_are_shown_as_text_not_parsed():
    html = render_markdown(EMPHASIS_RUNS)
    assert "<em>" not in html
    assert html.startswith("<p>*b**b*")


# The issue's own finding, in blocks short enough to pass the block limit: 12,000 setext
# headings, whose ids Python-Markdown made unique one by one (0.6 s a section).
HEADINGS_IN_SHORT_BLOCKS = "\n\n".join(["a\n-\n" * 50] * 240)


def test_a_text_with_more_headings_than_the_limit_is_refused_with_what_to_do():
    with pytest.raises(ValidationError) as error:
        validate_markdown(HEADINGS_IN_SHORT_BLOCKS)
    (message,) = error.value.messages
    assert "has 12,000 headings" in message
    assert f"up to {MAX_HEADINGS}" in message


def test_headings_up_to_the_limit_of_either_kind_are_accepted_and_rendered():
    at_the_limit = "\n\n".join(["# One\n\nText.", "Two\n===\n\nText."] * (MAX_HEADINGS // 2))
    validate_markdown(at_the_limit)
    html = render_markdown(at_the_limit)
    assert html.count("<h3") == MAX_HEADINGS
    with pytest.raises(ValidationError):
        validate_markdown(at_the_limit + "\n\n## One more")


def test_a_rule_after_a_blank_line_and_list_items_are_not_headings():
    validate_markdown("\n\n".join(["Text.\n\n---\n\n- an item\n- another"] * (MAX_HEADINGS + 1)))


def test_too_many_headings_met_when_rendering_are_shown_as_text_not_parsed():
    html = render_markdown(HEADINGS_IN_SHORT_BLOCKS)
    assert "<h3" not in html
    assert html.startswith("<p>a<br>-")


def test_an_over_long_list_met_when_rendering_is_shown_as_text_not_parsed():
    """A list of thousands of lines with no blank line, stored before the block limit: shown
    as text rather than parsed (each item re-reads the whole block)."""
    long_list = "- an item\n" * 5_000
    html = render_markdown(long_list)
    assert "<li>" not in html
    assert html.startswith("<p>- an item")
