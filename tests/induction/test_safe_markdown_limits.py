"""Markdown that would take the parser seconds is refused on the way in and shown as plain
text if it is ever met: a block of many lines with no blank line costs the square of its
length (50,000 characters of "a\\n-\\n" once took 7.5 s to render)."""

import pytest
from django.core.exceptions import ValidationError

from induction.safe_markdown import MAX_BLOCK_LINES, render_markdown, validate_markdown

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
    split = "\n\n".join(["a\n-\n" * (MAX_BLOCK_LINES // 2)] * 10)
    validate_markdown(split)
    assert render_markdown(split, base_level=2).count("<h3") == 10 * (MAX_BLOCK_LINES // 2)


def test_an_over_long_block_met_when_rendering_is_shown_as_text_not_parsed():
    """Stored before the limit, or frozen in an old version: rendered as escaped text, which
    is linear, rather than parsed into 12,500 headings."""
    html = render_markdown(SETEXT_HEADINGS)
    assert "<h" not in html
    assert html.count("a") >= 12_500
