"""The section editor's writing aids in a real browser: the formatting toolbar, the live
preview, and pasting from Word or a spreadsheet, through to the published page and its PDF;
and, with JavaScript off, the Preview button and the server's own conversion of pasted markup."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from induction.models import PackVersion, Section
from induction.pdf.storing import produce_version_pdf
from tests.browser.axe import assert_accessible

# Word's clipboard HTML as it comes, long lines and all.

TRUST = "northshire"
EDITOR = f"/trusts/{TRUST}/induction/edit/"

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<style><!-- p.MsoNormal {font-family:"Calibri",sans-serif;} --></style></head><body>
<!--StartFragment-->
<h2><span style='font-family:"Arial";color:#005EB8'>Out of hours<o:p></o:p></span></h2>
<p class=MsoNormal><span style='font-size:12.0pt'>Who to call, <b>in order</b>:<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>The site manager on call<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>The executive director on call<o:p></o:p></p>
<p class=MsoNormal><!--[if gte vml 1]><v:shape><v:imagedata src="file:///C:/Temp/clip_image001.png"/></v:shape><![endif]--><![if !vml]><img
width=160 height=80 src="file:///C:/Temp/clip_image002.png"><![endif]><o:p></o:p></p>
<!--EndFragment--></body></html>"""  # noqa: E501 - Word writes long lines
WORD_TEXT = (
    "Out of hours\nWho to call, in order:\n"
    "·\tThe site manager on call\n·\tThe executive director on call"
)
TAB_TABLE = "Rota\tPager\nMedical director on call\t4417\nSite manager\t4420"

PASTE = """([selector, html, text]) => {
  const field = document.querySelector(selector);
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
  const data = new DataTransfer();
  if (html) data.setData("text/html", html);
  data.setData("text/plain", text);
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  field.dispatchEvent(event);
  return event.defaultPrevented;  // false: left to the browser to paste as it is
}"""


@pytest.fixture
def editor(demo_site, page, sign_in):
    sign_in(page, f"{TRUST}-hr")
    return page


def open_markdown_section(page):
    section = (
        Section.objects.filter(pack__trust__slug=TRUST, kind=Section.Kind.MARKDOWN)
        .order_by("order")
        .first()
    )
    response = page.goto(f"{EDITOR}sections/{section.pk}/")
    assert response.status == 200
    return section


def body(page):
    return page.locator("#maincontent textarea[name='body']")


def toolbar_button(page, name):
    toolbar = page.get_by_role("toolbar", name="Formatting for Text of the section")
    return toolbar.get_by_role("button", name=name, exact=True)


def test_toolbar_buttons_write_markdown_that_the_live_preview_shows(editor):
    open_markdown_section(editor)
    field = body(editor)
    preview = editor.get_by_role("region", name="Preview as you type (not saved yet)")
    expect(preview).to_contain_text("Welcome")  # the text as it stands, shown on opening
    field.fill("Who to call")
    field.evaluate("(f) => f.setSelectionRange(4, 4)")  # the cursor mid-line

    toolbar_button(editor, "Heading").click()
    editor.keyboard.press("Enter")
    editor.keyboard.press("Enter")
    toolbar_button(editor, "Bold").click()
    editor.keyboard.type("Important")
    field.press("End")
    editor.keyboard.press("Enter")
    editor.keyboard.press("Enter")
    toolbar_button(editor, "Bullets").click()
    editor.keyboard.type("First item")
    toolbar_button(editor, "Table").click()
    editor.keyboard.type("Rota")
    field.press("Control+End")
    editor.keyboard.type("\n\nRing the switchboard.")
    toolbar_button(editor, "Footnote").click()
    editor.keyboard.type("Extension 4000.")

    text = field.input_value()
    assert text.startswith(
        "# Who to call\n\n**Important**\n\n- First item\n\n| Rota | Heading |\n| --- | --- |"
    )
    assert "Ring the switchboard.[^1]" in text
    assert text.endswith("\n\n[^1]: Extension 4000.")
    expect(preview.get_by_role("heading", level=3, name="Who to call")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Important")
    expect(preview.get_by_role("listitem").first).to_have_text("First item")
    expect(preview.get_by_role("columnheader", name="Rota")).to_be_visible()
    expect(preview.locator(".footnote")).to_contain_text("Extension 4000.")
    assert_accessible(editor)

    # A second footnote takes the next number, and its note goes with the first.
    field.evaluate(
        "(f) => { const at = f.value.indexOf('[^1]') + 4; f.setSelectionRange(at, at); }"
    )
    editor.keyboard.type(" Or the chair.")
    toolbar_button(editor, "Footnote").click()
    assert "Ring the switchboard.[^1] Or the chair.[^2]\n" in field.input_value()
    assert field.input_value().endswith("\n\n[^1]: Extension 4000.\n[^2]: ")


def test_toolbar_is_one_tab_stop_moved_through_with_the_arrow_keys(editor):
    open_markdown_section(editor)
    editor.locator("#maincontent input[name='title']").focus()
    editor.keyboard.press("Tab")
    expect(toolbar_button(editor, "Bold")).to_be_focused()
    editor.keyboard.press("ArrowRight")
    expect(toolbar_button(editor, "Italic")).to_be_focused()
    editor.keyboard.press("End")
    expect(toolbar_button(editor, "Footnote")).to_be_focused()
    editor.keyboard.press("Enter")
    assert "[^1]" in body(editor).input_value()
    editor.keyboard.press("Shift+Tab")  # back out of the field…
    expect(toolbar_button(editor, "Footnote")).to_be_focused()  # …to the last button used


# Slows the live preview's answers down and records how many were ever on their way at once.
SLOW_PREVIEWS = """() => {
  const realFetch = window.fetch;
  window.previewRequests = {inFlight: 0, most: 0, sent: 0};
  window.fetch = async (url, options) => {
    if (!String(url).endsWith("/preview/")) return realFetch(url, options);
    const seen = window.previewRequests;
    seen.inFlight += 1; seen.sent += 1; seen.most = Math.max(seen.most, seen.inFlight);
    try {
      const response = await realFetch(url, options);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return response;
    } finally {
      seen.inFlight -= 1;
    }
  };
}"""


def test_live_preview_sends_one_request_at_a_time_and_shows_the_newest_text(editor):
    editor.add_init_script(script=f"({SLOW_PREVIEWS})()")
    open_markdown_section(editor)
    field = body(editor)
    preview = editor.get_by_role("region", name="Preview as you type (not saved yet)")
    field.fill("")

    for word in ("First", "Second", "Third"):
        editor.keyboard.type(f"{word} ")
        editor.wait_for_timeout(700)  # past the pause that sends a request, while one waits

    expect(preview).to_have_text(
        re.compile(r"^\s*Welcome\s+First Second Third\s*$")
    )
    editor.wait_for_timeout(2000)  # any answer still on its way must not replace it
    expect(preview).to_contain_text("First Second Third")
    seen = editor.evaluate("() => window.previewRequests")
    assert seen["most"] == 1
    assert 2 <= seen["sent"] <= 4  # on opening, then as typing paused, not per keystroke


def test_live_preview_shows_why_text_cannot_be_kept(editor):
    open_markdown_section(editor)
    body(editor).fill("Bad " + "[" * 1001)
    preview = editor.get_by_role("region", name="Preview as you type (not saved yet)")
    expect(preview.locator(".nhsuk-error-message")).to_contain_text("square brackets")
    assert_accessible(editor)


def test_pasted_word_html_and_a_spreadsheet_table_publish_as_a_real_list_and_table(editor):
    section = open_markdown_section(editor)
    field = body(editor)
    field.fill("Our arrangements.")

    editor.evaluate(PASTE, ["#id_body", WORD_HTML, WORD_TEXT])

    notice = editor.locator(".app-paste-notice")
    expect(notice).to_contain_text("Converted the pasted text: 1 heading, 1 list.")
    expect(notice).to_contain_text(
        "1 picture (pictures must be uploaded to the trust's picture library)"
    )
    expect(notice).to_contain_text("colours and fonts")
    expect(field).to_have_value(re.compile(r"- The executive director on call$"))

    field.press("Control+End")
    editor.keyboard.type("\n\n")
    editor.evaluate(PASTE, ["#id_body", "", TAB_TABLE])
    expect(notice).to_contain_text("Converted the pasted text: 1 table.")
    assert field.input_value() == (
        "Our arrangements.\n\n# Out of hours\n\nWho to call, **in order**:\n\n"
        "- The site manager on call\n- The executive director on call\n\n"
        "| Rota | Pager |\n| --- | --- |\n| Medical director on call | 4417 |\n"
        "| Site manager | 4420 |"
    )
    preview = editor.get_by_role("region", name="Preview as you type (not saved yet)")
    expect(preview.get_by_role("cell", name="Medical director on call")).to_be_visible()
    assert_accessible(editor)

    editor.locator("#maincontent").get_by_role("button", name="Save the section").click()
    expect(editor.locator("#maincontent")).to_contain_text("Saved the section")

    editor.goto(f"/trusts/{TRUST}/induction/publish/")
    editor.locator("textarea[name='change_summary']").fill("Out of hours contacts.")
    editor.get_by_role("button", name="Publish this version").click()
    expect(editor).to_have_url(re.compile(rf"/trusts/{TRUST}/induction/v\d+/$"))

    version = PackVersion.objects.filter(pack=section.pack).latest("number")
    editor.goto(f"/trusts/{TRUST}/induction/whole-pack/")
    html = editor.locator("#maincontent").inner_html()
    assert re.search(r"<ul>\s*<li>The site manager on call</li>", html)
    assert "<td>Medical director on call</td>" in html
    published_text = editor.locator("#maincontent").inner_text()
    for leftover in ("Mso", "style=", "<p", "o:p", "font-family"):
        assert leftover not in published_text

    outcome = produce_version_pdf(version.pk)
    assert outcome.ok, outcome.error
    version.refresh_from_db()
    reader = pypdf.PdfReader(io.BytesIO(version.pdf.read()))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    for cell in ("Rota", "Pager", "Medical director on call", "4417", "Site manager"):
        assert cell in pdf_text
    assert "Mso" not in pdf_text


def test_plain_text_without_bullets_or_tabs_is_left_to_the_browser(editor):
    open_markdown_section(editor)
    requests = []
    editor.on("request", lambda request: requests.append(request.url))

    taken_over = editor.evaluate(PASTE, ["#id_body", "", "Just a sentence, o and • inside."])

    assert taken_over is False
    assert not [url for url in requests if url.endswith("/edit/paste/")]
    expect(editor.locator(".app-paste-notice")).to_have_text("")


@pytest.fixture
def no_script(new_context, sign_in, demo_site):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, f"{TRUST}-hr")
    return page


def test_without_javascript_there_is_no_toolbar_and_preview_and_paste_fallback_work(no_script):
    page = no_script
    section = open_markdown_section(page)
    before = Section.objects.get(pk=section.pk).body
    expect(page.locator("markdown-toolbar")).to_have_count(0)
    expect(page.get_by_role("button", name="Bold")).to_have_count(0)

    body(page).fill(WORD_HTML)
    page.get_by_role("button", name="Preview").click()

    notice = page.locator(".nhsuk-warning-callout")
    expect(notice).to_contain_text("Check the pasted text, then save again")
    expect(notice).to_contain_text("1 picture (pictures must be uploaded")
    expect(body(page)).to_have_value(re.compile(r"^# Out of hours\n\nWho to call"))
    assert Section.objects.get(pk=section.pk).body == before

    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".app-preview")
    expect(preview.get_by_role("heading", name="Out of hours")).to_be_visible()
    expect(preview.get_by_role("listitem").first).to_have_text("The site manager on call")

    page.get_by_role("button", name="Save the section").click()
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    assert Section.objects.get(pk=section.pk).body.startswith("# Out of hours")
