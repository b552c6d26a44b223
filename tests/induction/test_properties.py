"""Property-based tests (hypothesis): whatever text or data arrives, the Markdown sanitiser and
the import validator either accept it safely or refuse it with a message; nothing raises."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from induction.importing import validate_import
from induction.safe_markdown import render_markdown, validate_markdown

# Markdown's own punctuation, HTML and URL fragments, and ordinary text, mixed at random.
MARKDOWN_PIECES = st.sampled_from(
    [
        "#", "##", "-", "*", "_", "`", ">", "|", "[", "]", "(", ")", "!", "^", ":", "=", "\n",
        "\n\n", "    ", "1.", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "javascript:alert(1)", "[x](javascript:alert(1))", "![i](http://evil.example/x.png)",
        "<a href='//evil.example'>", "[^1]", "[^1]: note", "&#106;avascript:", "%2e%2e/",
        "data:text/html,<b>", "<style>", "\u202e", "\x00", "text", "Medical Director",
    ]
)  # fmt: skip
MARKDOWN = st.one_of(
    st.lists(MARKDOWN_PIECES, max_size=60).map("".join),
    st.text(max_size=400),
)

# Every attribute a tag may keep, and every scheme a link may use.
ATTRIBUTE = re.compile(r"<[a-z0-9]+\s([^>]*)>")
HREF = re.compile(r'href="([^"]*)"')


def assert_safe_html(html):
    assert "<script" not in html and "<style" not in html
    for attributes in ATTRIBUTE.findall(html):
        assert not re.search(r"\bon[a-z]+\s*=", attributes), attributes
    for href in HREF.findall(html):
        assert re.match(r"(https://|mailto:|/|#)", href), href


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_markdown_renders_to_safe_html_or_is_refused_with_a_message(text):
    html = render_markdown(text, id_prefix="p-")
    assert isinstance(html, str)
    assert_safe_html(html)
    try:
        validate_markdown(text)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["title", "body", "kind", "sections", "responsibilities", "slug", "status",
             "post_holders", "checklist", "name", "relation", "due_by_day", "trust", "format"]
        )
        | st.text(max_size=10),
        children,
        max_size=5,
    ),
    max_leaves=40,
)  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=200,
    deadline=None,
    # `national` only reads the national role model, which no example changes.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(JSON_VALUES)
def test_any_json_is_either_valid_for_import_or_named_problem_by_problem(national, data):
    problems = validate_import(data)
    assert isinstance(problems, list)
    assert all(isinstance(problem, str) and problem.strip() for problem in problems)
