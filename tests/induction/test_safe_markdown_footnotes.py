"""Footnote back-links say where they go, one distinct link per use of the note."""

import re
from html.parser import HTMLParser

import pytest

from induction.markdown_footnotes import footnote_backlink_text
from induction.safe_markdown import render_markdown


class _Links(HTMLParser):
    """Every link as (class, href, attributes, text)."""

    def __init__(self):
        super().__init__()
        self.links = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            self._open = [attributes.get("class"), attributes.get("href"), attributes, ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append(tuple(self._open))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._open[3] += data


def backlinks(html):
    parser = _Links()
    parser.feed(html)
    links = [(href, attrs, text) for _, href, attrs, text in parser.links]
    found = [(href, text) for css, href, _, text in parser.links if css == "footnote-backref"]
    return found, links


def ids(html):
    return set(re.findall(r' id="([^"]+)"', html))


def test_a_note_cited_three_times_has_three_distinct_back_links_in_reading_order():
    html = render_markdown(
        "Set by the board[^budget], checked[^budget] and signed off[^budget].\n\n"
        "[^budget]: Board minutes, March.\n"
    )

    found, _ = backlinks(html)

    assert found == [
        ("#fnref:budget", "Back to reference 1, first use"),
        ("#fnref2:budget", "Back to reference 1, second use"),
        ("#fnref3:budget", "Back to reference 1, third use"),
    ]
    assert {href[1:] for href, _ in found} <= ids(html)
    # Never run together ("Back to textBack to text"): one to a line.
    assert re.search(r"first use</a><br><a [^>]*>Back to reference 1, second use</a><br><a ", html)


def test_a_note_cited_once_names_its_reference_by_the_number_the_reader_sees():
    # Notes are numbered in the order they are defined: here "b" is 1 although cited last.
    html = render_markdown(
        "First[^a] and second[^b].\n\n"
        "[^b]: Defined first.\n\n"
        "[^a]: Defined second, with a list:\n\n    - one\n    - two\n"
    )

    found, _ = backlinks(html)

    assert re.search(r'href="#fn:a">2<', html) and re.search(r'href="#fn:b">1<', html), html
    assert sorted(found) == [
        ("#fnref:a", "Back to reference 2"),
        ("#fnref:b", "Back to reference 1"),
    ]


def test_back_links_carry_no_title_repeating_their_text_and_keep_working_with_a_prefix():
    html = render_markdown("Claim[^1] and again[^1].\n\n[^1]: Source.\n", id_prefix="section-3-")

    _, links = backlinks(html)

    back = [(href, attrs) for href, attrs, _ in links if attrs.get("class") == "footnote-backref"]
    assert [href for href, _ in back] == ["#section-3-fnref:1", "#section-3-fnref2:1"]
    assert all("title" not in attrs for _, attrs in back)
    assert {href[1:] for href, _ in back} <= ids(html)


@pytest.mark.parametrize(
    ("number", "use", "uses", "text"),
    [
        (6, 1, 1, "Back to reference 6"),
        (6, 1, 2, "Back to reference 6, first use"),
        (6, 2, 2, "Back to reference 6, second use"),
        (3, 10, 12, "Back to reference 3, tenth use"),
        (3, 11, 12, "Back to reference 3, use 11"),
    ],
)
def test_back_link_words(number, use, uses, text):
    assert footnote_backlink_text(number, use, uses) == text


def test_a_note_cited_eleven_times_has_eleven_different_back_links():
    html = render_markdown("".join("Point[^n]. " for _ in range(11)) + "\n\n[^n]: Note.\n")

    found, _ = backlinks(html)

    texts = [text for _, text in found]
    assert len(texts) == 11 and len(set(texts)) == 11, texts
    assert texts[-1] == "Back to reference 1, use 11"
