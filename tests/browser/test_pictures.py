"""The picture library in a real browser: upload a picture, insert it into a section at the
cursor, publish, and see it in the pack and its PDF; the library passes axe-core, works
without JavaScript, and a refused upload (not a picture, a hostile SVG, too large) or a remote
picture in a section's text shows the NHS.UK error summary."""

import io
import os
import re

import pypdf
import pytest
from PIL import Image
from playwright.sync_api import expect

from induction.models import PackVersion, TrustPicture
from induction.pdf.storing import produce_version_pdf
from tests.browser.axe import assert_accessible

LIBRARY = "/trusts/northshire/induction/edit/pictures/"
EDITOR = "/trusts/northshire/induction/edit/"


def png(tmp_path, name="site-map.png", size=(800, 400)):
    path = tmp_path / name
    Image.new("RGB", size, (0, 94, 184)).save(path)
    return path


@pytest.fixture
def editor(demo_site, page, sign_in):
    sign_in(page, "northshire-hr")
    return page


def upload(page, path, alt_text):
    main = page.locator("#maincontent")
    main.get_by_label("Choose a picture").set_input_files(str(path))
    main.get_by_label("Describe what the picture shows").fill(alt_text)
    main.get_by_role("button", name="Upload the picture").click()


def test_upload_insert_publish_and_read_a_picture(editor, tmp_path):
    editor.goto(LIBRARY)
    assert_accessible(editor)
    upload(editor, png(tmp_path), "Map of the hospital site")
    main = editor.locator("#maincontent")
    expect(main).to_contain_text("Uploaded “Map of the hospital site”")
    picture = TrustPicture.objects.get(alt_text="Map of the hospital site")
    expect(main.locator(f"#picture-{picture.key} img")).to_be_visible()
    assert_accessible(editor)

    editor.goto(EDITOR)
    editor.locator("#maincontent").get_by_role("link", name="Pictures: upload").click()
    expect(editor).to_have_url(re.compile(re.escape(LIBRARY) + "$"))

    # Insert it at the cursor, between two paragraphs of a free-text section.
    editor.goto(EDITOR)
    row = editor.locator("table.app-section-list tbody tr").filter(
        has=editor.get_by_role("cell", name="Free text (Markdown)", exact=True)
    )
    row.first.get_by_role("rowheader").get_by_role("link").click()
    body = editor.locator("#id_body")
    body.fill("First paragraph.\n\nLast paragraph.")
    body.evaluate("textarea => textarea.setSelectionRange(16, 16)")
    editor.locator(".app-pictures-panel summary").click()
    panel = editor.locator(".app-pictures-panel")
    panel.get_by_role("button", name="Insert “Map of the hospital site” into the text").click()
    markdown = f"![Map of the hospital site]({picture.get_absolute_url()})"
    expect(body).to_have_value(f"First paragraph.\n\n{markdown}\n\nLast paragraph.")
    assert_accessible(editor)
    editor.locator("#maincontent").get_by_role("button", name="Save the section").click()
    expect(editor.locator("#maincontent")).to_contain_text("Saved the section")

    editor.locator("#maincontent").get_by_role("link", name="Publish the draft").click()
    editor.locator("#maincontent").get_by_role("button", name="Publish this version").click()
    expect(editor).to_have_url(re.compile(r"/trusts/northshire/induction/v\d+/$"))

    # The published pack shows it, fitting the column, to anyone (Northshire's pack is public).
    reader = editor.context.browser.new_context(base_url=editor.url.split("/trusts/")[0])
    try:
        reading = reader.new_page()
        reading.goto("/trusts/northshire/induction/whole-pack/")
        image = reading.get_by_role("img", name="Map of the hospital site")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") == 800
        column = image.evaluate("img => img.parentElement.getBoundingClientRect().width")
        assert image.evaluate("img => img.getBoundingClientRect().width") <= column
        reading.set_viewport_size({"width": 375, "height": 800})
        assert image.evaluate("img => img.getBoundingClientRect().width") <= 375
        assert reading.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        reader.close()

    # …and its PDF embeds it, read back from the stored file.
    version = PackVersion.objects.filter(pack__trust__slug="northshire").latest("number")
    outcome = produce_version_pdf(version.pk)
    assert outcome.ok, outcome.error
    version.refresh_from_db()
    pdf = pypdf.PdfReader(io.BytesIO(version.pdf.read()))
    sizes = {(image.image.width, image.image.height) for page in pdf.pages for image in page.images}
    assert (800, 400) in sizes


HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    "<script>alert(document.cookie)</script></svg>"
)


def oversized_png(tmp_path):
    """A real PNG over 5 MB: random pixels do not compress."""
    path = tmp_path / "huge.png"
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(path)
    assert path.stat().st_size > 5 * 1024 * 1024
    return path


@pytest.mark.parametrize(
    "name, make, says",
    [
        ("logo.png", lambda tmp: tmp.write_text("This is not a picture."), "PNG, JPEG or SVG"),
        ("badge.svg", lambda tmp: tmp.write_text(HOSTILE_SVG), "a <script> element"),
        ("huge.png", None, "the most is 5 MB"),
    ],
    ids=["not-a-picture", "hostile-svg", "oversized"],
)
def test_a_refused_upload_shows_the_error_summary(editor, tmp_path, name, make, says):
    editor.goto(LIBRARY)
    if make is None:
        path = oversized_png(tmp_path)
    else:
        path = tmp_path / name
        make(path)
    stored = TrustPicture.objects.count()
    upload(editor, path, "Trust logo")
    summary = editor.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(says)
    expect(summary).to_be_focused()
    expect(editor).to_have_title(re.compile(r"^Error: "))
    assert TrustPicture.objects.count() == stored
    assert_accessible(editor)


def test_a_remote_picture_in_a_section_is_refused_saying_to_upload_it(editor):
    editor.goto(EDITOR)
    row = editor.locator("table.app-section-list tbody tr").filter(
        has=editor.get_by_role("cell", name="Free text (Markdown)", exact=True)
    )
    row.first.get_by_role("rowheader").get_by_role("link").click()
    body = editor.locator("#id_body")
    typed = "Our logo:\n\n![Trust logo](https://cdn.example.org/logo.png)"
    body.fill(typed)
    editor.locator("#maincontent").get_by_role("button", name="Save the section").click()
    summary = editor.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("is not from the trust's picture library")
    expect(summary).to_contain_text("Upload it to the picture library")
    expect(body).to_have_value(typed)  # nothing typed is lost
    assert_accessible(editor)


def test_without_javascript_the_library_and_copying_the_markdown_work(
    demo_site, new_context, sign_in, tmp_path
):
    context = new_context(java_script_enabled=False)
    sign_in(context, "northshire-hr")
    page = context.new_page()
    page.goto(LIBRARY)
    upload(page, png(tmp_path, "chart.png", (300, 200)), "Organisation chart")
    main = page.locator("#maincontent")
    expect(main).to_contain_text("Uploaded “Organisation chart”")
    picture = TrustPicture.objects.get(alt_text="Organisation chart")
    field = main.get_by_label(re.compile("Markdown to copy into a section: Organisation chart"))
    expect(field).to_have_value(f"![Organisation chart]({picture.get_absolute_url()})")

    # In the section editor the Markdown is there to copy, and no Insert button without JS.
    page.goto(EDITOR)
    page.locator("table.app-section-list tbody tr th a").first.click()
    page.locator(".app-pictures-panel summary").click()
    panel = page.locator(".app-pictures-panel")
    expect(panel.get_by_label("Organisation chart")).to_have_value(
        f"![Organisation chart]({picture.get_absolute_url()})"
    )
    expect(panel.get_by_role("button", name=re.compile("Insert"))).to_have_count(0)
