"""The PDF handbook itself: structure, accessibility and determinism, read back with pypdf
and, where installed, poppler's pdfinfo/pdffonts and qpdf."""

import datetime
import io
import os
import re
import shutil
import subprocess

import pypdf
import pytest
from django.utils import timezone

from induction.models import InductionPack, PackVersion, Trust
from induction.pdf.rendering import render_version
from induction.rendering import render_snapshot_html
from roles.models import Role

from .support import pack_content


def unsaved_version(content):
    """A version held in memory only: the render needs no database."""
    trust = Trust(name="Northshire Hospitals NHS Foundation Trust", slug="northshire",
                  ods_code="RX1", kind=Trust.Kind.ACUTE)
    role = Role(slug="medical-director", name="Medical Director")
    pack = InductionPack(trust=trust, board_role=role, title="Medical Director induction")
    return PackVersion(
        pack=pack,
        number=2,
        content=content,
        rendered_html=render_snapshot_html(content),
        change_summary="Updated the reporting lines after the new Chief Executive started.",
        published_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
        next_review_date=datetime.date(2027, 3, 2),
    )


@pytest.fixture(scope="module")
def content():
    return pack_content(sections_of_prose=3, paragraphs=12)


@pytest.fixture(scope="module")
def rendered(content):
    return render_version(unsaved_version(content))


@pytest.fixture(scope="module")
def reader(rendered):
    return pypdf.PdfReader(io.BytesIO(rendered.content))


def page_texts(reader):
    return [page.extract_text() for page in reader.pages]


def test_the_pdf_is_a4_and_reports_its_page_count(rendered, reader):
    assert rendered.content.startswith(b"%PDF-1.7")
    assert rendered.pages == len(reader.pages) > 8
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)


def test_cover_names_trust_pack_version_and_dates(reader):
    cover = reader.pages[0].extract_text()
    for expected in (
        "Northshire Hospitals NHS Foundation Trust",
        "Medical Director induction",
        "Version 2",
        "Published",
        "2 March 2026",
        "Next review",
        "2 March 2027",
    ):
        assert expected in cover
    # The cover carries no running footer.
    assert "Page 1 of" not in cover


def test_contents_page_numbers_are_the_pages_the_sections_start_on(content, reader):
    texts = page_texts(reader)
    contents = texts[1]
    assert contents.startswith("Contents") or "Contents" in contents.splitlines()[0:3]
    for section in content["sections"]:
        title = section["title"]
        match = re.search(re.escape(title) + r"\s*(?:\.\s*){3,}(\d+)", contents)
        assert match, f"{title!r} is not on the contents page with a leader and a number"
        printed = int(match.group(1))
        # The page whose body starts with the section's heading (after the running header).
        starts = [
            number
            for number, text in enumerate(texts[2:], start=3)
            if title in text.splitlines()[:4]
        ]
        assert printed == starts[0], f"{title!r}: contents says {printed}, found on {starts}"


def test_one_bookmark_per_section_in_order(content, reader):
    outline = reader.outline
    assert [item["/Title"] for item in outline] == [s["title"] for s in content["sections"]]
    for item, section in zip(outline, content["sections"], strict=True):
        page_number = reader.get_destination_page_number(item) + 1
        assert section["title"] in reader.pages[page_number - 1].extract_text()


def test_running_header_and_footer_on_body_pages(reader):
    total = len(reader.pages)
    text = reader.pages[3].extract_text()
    assert "Northshire Hospitals NHS Foundation Trust" in text
    assert "Medical Director induction – Version 2" in text
    assert f"Page 4 of {total}" in text
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()


def test_citations_are_listed_as_endnotes(reader):
    sources = reader.pages[-1].extract_text()
    assert "Sources" in sources
    assert "The Medical Director role here" in sources
    assert "GGI Board Insights 2 (2017), para 4.1.2" in sources
    assert "NHS Confederation (2009), p12" in sources


def test_pdf_is_tagged_with_language_title_and_author(reader):
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == (
        "Medical Director induction – Northshire Hospitals NHS Foundation Trust – version 2"
    )
    assert reader.metadata.author == "Northshire Hospitals NHS Foundation Trust"
    # PDF/UA-1 identification in the XMP metadata.
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def _fonts(reader):
    seen = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            seen[font["/BaseFont"]] = font
    return seen


def test_every_font_is_embedded(reader):
    fonts = _fonts(reader)
    assert fonts
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        descriptor_owner = descendants[0].get_object() if descendants else font
        descriptor = descriptor_owner["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} not embedded"


def section_pages(reader, title):
    """The pages whose running footer names the section (its first page and continuations)."""
    return [
        page for page in reader.pages
        if page.extract_text().rstrip().splitlines()[-1].startswith(title)
    ]


def test_reporting_lines_diagram_stays_vector(content, reader):
    people = next(s for s in content["sections"] if s["kind"] == "people")
    pages = section_pages(reader, people["title"])
    assert pages
    for page in pages:
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        assert not [
            name for name, item in xobjects.get_object().items()
            if item.get_object().get("/Subtype") == "/Image"
        ]
    # Each name is in the list of posts and again, as real text, in the diagram's boxes.
    text = "".join(page.extract_text() for page in pages)
    assert text.count("Tom Reid") == 2


def test_each_responsibility_reads_in_the_pdf_with_how_the_trust_holds_it(content, reader):
    duties = next(s for s in content["sections"] if s["kind"] == "responsibilities")
    pages = section_pages(reader, duties["title"])
    assert len(pages) >= 2, "the test content should make the responsibilities run over a page"
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    for item in duties["responsibilities"]:
        assert " ".join(item["title"].split()) in text
    assert "Held by the Medical Director" in text


def test_two_renders_of_a_version_are_byte_for_byte_identical(content, rendered):
    again = render_version(unsaved_version(content))
    assert again.sha256 == rendered.sha256


def test_nothing_is_left_out_of_a_clean_pack(rendered):
    assert rendered.refused_urls == ()


@pytest.fixture(scope="module")
def pdf_path(rendered, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "handbook.pdf"
    path.write_bytes(rendered.content)
    return path


def _tool(name):
    """A PDF checker from Debian: skipped on a laptop without it, required in CI (.ci/run)."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian package: qpdf or poppler-utils)"
        if os.environ.get("MDPORTAL_REQUIRE_PDF_TOOLS") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def test_qpdf_finds_no_errors(pdf_path):
    result = subprocess.run(
        [_tool("qpdf"), "--check", str(pdf_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_pdfinfo_sees_a_tagged_a4_document(pdf_path, reader):
    result = subprocess.run(
        [_tool("pdfinfo"), str(pdf_path)], capture_output=True, text=True, check=True
    )
    info = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in result.stdout.splitlines())
    )
    assert info["Tagged"] == "yes"
    assert info["Pages"] == str(len(reader.pages))
    assert "(A4)" in info["Page size"]
    assert info["Author"] == "Northshire Hospitals NHS Foundation Trust"


def test_pdffonts_lists_only_embedded_fonts(pdf_path):
    result = subprocess.run(
        [_tool("pdffonts"), str(pdf_path)], capture_output=True, text=True, check=True
    )
    rows = result.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        # Columns: name, type, encoding, emb, sub, uni, object ID.
        assert row.split()[-5] == "yes", row
