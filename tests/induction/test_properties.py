"""Property-based tests (hypothesis): whatever text or data arrives, the Markdown sanitiser and
the import validator either accept it safely or refuse it with a message; nothing raises.
Rendering stays within its bound: every link, however it is typed, is read a bounded distance
(see safe_markdown.MAX_LINK_TEXT), and whatever the validator accepts, the import stores."""

import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LinkInlineProcessor

from induction.importing import ImportInvalid, import_draft, validate_import
from induction.safe_markdown import (
    MAX_LINK_ADDRESS,
    MAX_LINK_TEXT,
    MAX_MARKDOWN_LENGTH,
    render_markdown,
    validate_markdown,
)
from induction.snapshot import snapshot_draft

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


@contextmanager
def link_reads():
    """How far each read of a link's text and address could go, in characters."""
    reads = {"getText": [], "getLink": []}

    def recorder(method):
        original = getattr(LinkInlineProcessor, method)

        def recording(self, data, index):
            reads[method].append(len(data) - index)
            return original(self, data, index)

        return recording

    with (
        mock.patch.object(LinkInlineProcessor, "getText", recorder("getText")),
        mock.patch.object(LinkInlineProcessor, "getLink", recorder("getLink")),
    ):
        yield reads


def assert_renders_safely_within_bounds_or_is_refused(text):
    with link_reads() as reads:
        html = render_markdown(text, id_prefix="p-")
        try:
            validate_markdown(text)
        except ValidationError as error:
            assert error.messages and all(message.strip() for message in error.messages)
    assert isinstance(html, str)
    assert_safe_html(html)
    assert max(reads["getText"], default=0) <= MAX_LINK_TEXT
    assert max(reads["getLink"], default=0) <= MAX_LINK_ADDRESS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_markdown_renders_to_safe_html_or_is_refused_with_a_message(text):
    assert_renders_safely_within_bounds_or_is_refused(text)


# The shapes that once made Python-Markdown quadratic: a construct repeated, then a long run of
# text with nothing to close it.
PATHOLOGICAL = st.builds(
    lambda opening, repeats, closing, length: (opening * repeats + closing * length)[
        :MAX_MARKDOWN_LENGTH
    ],
    st.sampled_from(["[", "![", "[a](", "![a](", "[^", "[a][", "*b*", ">", "a\n-\n", "`a"]),
    st.integers(1, 999),
    st.sampled_from(["a", " ", "(", ")", "]", "\n", "b*"]),
    st.integers(0, 20_000),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PATHOLOGICAL)
@example("[" * 999 + "a" * 49_000)
def test_pathological_markdown_is_read_a_bounded_distance_or_refused(text):
    assert_renders_safely_within_bounds_or_is_refused(text)


# Text as files bring it: ordinary, or with NUL and other controls, lone surrogates, and the
# invisible formatting characters (bidi controls, zero-width spaces).
TEXT = st.text(max_size=30) | st.text(
    alphabet=st.characters(categories=["Cc", "Cs", "Cf", "Ll", "Zs"]), max_size=10
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
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
@example({"sections": [{"title": "Lone \ud800", "body": "a\x00b"}]})
@example({"sections": [[[[[[[[[[[[{"title": "Deep"}]]]]]]]]]]]]})
def test_any_json_is_either_valid_for_import_or_named_problem_by_problem(national, data):
    problems = validate_import(data)
    assert isinstance(problems, list)
    assert all(isinstance(problem, str) and problem.strip() for problem in problems)


# Close to a pack file: sections of three kinds whose titles, bodies and items are mostly words
# and sometimes TEXT, so that many examples pass validation and must then be stored.
WORDS = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=30)
FIELD = st.one_of(WORDS, WORDS, WORDS, TEXT)
PEOPLE = st.fixed_dictionaries(
    {"name": FIELD, "title": FIELD, "relation": st.sampled_from(["reports_to", "works_with"])}
)
STEPS = st.fixed_dictionaries({"category": st.sampled_from(["meet", "read"]), "text": FIELD})
SECTIONS = st.one_of(
    st.fixed_dictionaries({"title": FIELD, "body": FIELD}),
    st.fixed_dictionaries(
        {"title": FIELD, "kind": st.just("people"), "post_holders": st.lists(PEOPLE, max_size=3)}
    ),
    st.fixed_dictionaries(
        {"title": FIELD, "kind": st.just("checklist"), "checklist": st.lists(STEPS, max_size=3)}
    ),
)
PACK_FILES = st.fixed_dictionaries(
    {"sections": st.lists(SECTIONS, min_size=1, max_size=3)}, optional={"title": FIELD}
)


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    # Each example replaces the draft of the same pack, as an import does.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(PACK_FILES)
def test_whatever_the_validator_accepts_is_imported_and_nothing_else_changes_the_draft(pack, data):
    problems = validate_import(data, pack=pack)
    before = snapshot_draft(pack)
    if problems:
        with pytest.raises(ImportInvalid):
            import_draft(pack, data, user=None)
        assert snapshot_draft(pack) == before
    else:
        import_draft(pack, data, user=None)
        assert [s["title"] for s in snapshot_draft(pack)["sections"]] == [
            section["title"].strip() for section in data["sections"]
        ]
