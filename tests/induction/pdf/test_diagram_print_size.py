"""The PDF's reporting-lines diagram is large enough to read on A4, whole and explained.

WeasyPrint scales the inline SVG to the width the print stylesheet gives it; a diagram that
was shrunk to share a page with the list of posts printed its labels at about 5pt. This reads
the size every diagram label is actually drawn at back out of the PDF.
"""

import io
import math

import pypdf
import pytest

from induction.pdf.rendering import render_version

from .support import pack_content
from .test_handbook import unsaved_version

# Smaller than the footnotes (9pt) is fine for a diagram's labels; smaller than this is not.
SMALLEST_READABLE_PT = 8
KEY_TEXT = "Works closely with the Medical Director, no reporting line"
LONG_TITLE = "Divisional Clinical Director, Surgery, Anaesthetics and Critical Care"
# The demo trust's local posts: one above, four below, three close colleagues beside.
POST_HOLDERS = [
    {"name": "Dr Helen Price", "title": "Chief Executive", "relation": "reports_to"},
    {"name": "Margaret Ellison", "title": "Chair", "relation": "works_with"},
    {"name": "Catherine Doyle", "title": "Chief Nurse", "relation": "works_with"},
    {
        "name": "Jonathan Reeve",
        "title": "Non-executive director, chair of the Quality and Safety Committee",
        "relation": "works_with",
    },
    {"name": "Dr Rachel Osei", "title": "Deputy Medical Director", "relation": "reports_to_md"},
    {
        "name": "Dr Sanjay Mehta",
        "title": "Divisional Clinical Director, Medicine and Emergency Care",
        "relation": "reports_to_md",
    },
    {"name": "Miss Eleanor Hart", "title": LONG_TITLE, "relation": "reports_to_md"},
    {
        "name": "Dr Priya Nair",
        "title": "Divisional Clinical Director, Women's and Children's Services",
        "relation": "reports_to_md",
    },
]


@pytest.fixture(scope="module")
def diagram_page():
    content = pack_content(sections_of_prose=1, paragraphs=2)
    people = next(s for s in content["sections"] if s["kind"] == "people")
    people["post_holders"] = POST_HOLDERS
    reader = pypdf.PdfReader(io.BytesIO(render_version(unsaved_version(content)).content))
    pages = [page for page in reader.pages if "no reporting line" in page.extract_text()]
    assert len(pages) == 1, "the diagram and its key should print on one page"
    return pages[0]


def drawn_sizes(page):
    """Each piece of text on the page with the size, in points, it is drawn at."""
    pieces = []

    def visit(text, matrix, text_matrix, font, font_size):
        if not text.strip():
            return
        a, b, c, d = (
            text_matrix[0] * matrix[0] + text_matrix[1] * matrix[2],
            text_matrix[0] * matrix[1] + text_matrix[1] * matrix[3],
            text_matrix[2] * matrix[0] + text_matrix[3] * matrix[2],
            text_matrix[2] * matrix[1] + text_matrix[3] * matrix[3],
        )
        pieces.append((text.strip(), font_size * math.sqrt(abs(a * d - b * c))))

    page.extract_text(visitor_text=visit)
    return pieces


def test_every_diagram_label_prints_at_a_readable_size(diagram_page):
    # Every text of the diagram has the SVG's one font size (14 units), so all of them print
    # at the size the key does. The key is measured because pypdf reports the drawn size of
    # text set in <tspan>s (the boxes' lines) without the SVG's scaling.
    pieces = drawn_sizes(diagram_page)
    key = [(text, size) for text, size in pieces if text in {KEY_TEXT, "Line management"}]

    assert len(key) == 2, pieces
    too_small = [(text, round(size, 1)) for text, size in key if size < SMALLEST_READABLE_PT]
    assert not too_small, f"diagram text printed below {SMALLEST_READABLE_PT}pt: {too_small}"


def test_no_diagram_label_is_cut_short(diagram_page):
    text = diagram_page.extract_text()
    assert "…" not in text
    # The longest title is printed whole, over as many lines as it needs.
    words = " ".join(text.split())
    assert all(word in words for word in LONG_TITLE.split()), words
