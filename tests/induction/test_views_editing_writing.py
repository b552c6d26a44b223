"""The section editor's writing aids: the live preview and paste endpoints (who may use them,
bad input, query budgets), and the edit page's own handling of pasted markup without
JavaScript (converted and shown to check, never saved as it came)."""

import json
from html import unescape

import pytest
from django.test import Client

from induction.models import AuditEvent, Section
from induction.pasting.conversion import MAX_PASTE_LENGTH

from .ui_helpers import hidden_value, page, section_post_data

WORD_HTML = (
    "<p class=MsoNormal><span style='font-family:Arial;color:#005EB8'>Welcome to the "
    "<b>trust</b>.<o:p></o:p></span></p>\n"
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·"
    "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span></span>"
    "<![endif]>Meet the chair<o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·"
    "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span></span>"
    "<![endif]>Read the papers<o:p></o:p></p>\n"
    "<p class=MsoNormal><img src='file:///C:/Temp/clip_image001.png'><o:p></o:p></p>"
)
WORD_MARKDOWN = "Welcome to the **trust**.\n\n- Meet the chair\n- Read the papers"


def markdown_section(pack):
    return pack.sections.filter(kind=Section.Kind.MARKDOWN).first()


def preview_url(section):
    return page("section_live_preview", section.pack, section_id=section.pk)


def paste_url(pack):
    return page("paste_convert", pack)


def edit_url(section):
    return page("section_edit", section.pack, section_id=section.pk)


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


# --- who may use the endpoints ---------------------------------------------------------------

# What each person gets from either endpoint of `pack`'s trust (POST, with a valid form).
EXPECTED = {"anonymous": 302, "reader": 403, "approver": 403, "outsider": 404, "editor": 200,
            "staff": 403, "staff_acting": 200}  # fmt: skip


def endpoint_requests(pack):
    section = markdown_section(pack)
    return {
        "preview": (preview_url(section), section_post_data(section, body="**Draft**")),
        "paste": (paste_url(pack), {"html": "<p><b>Bold</b></p>", "text": "Bold"}),
    }


@pytest.mark.parametrize("endpoint", ["preview", "paste"])
@pytest.mark.parametrize("person", sorted(EXPECTED))
def test_only_the_trust_s_editors_may_use_the_writing_endpoints(
    request, client, pack, other_pack, endpoint, person
):
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    url, data = endpoint_requests(pack)[endpoint]
    events = AuditEvent.objects.count()

    response = client.post(url, data)

    assert response.status_code == EXPECTED[person]
    if person == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("endpoint", ["preview", "paste"])
def test_the_writing_endpoints_answer_post_only(signed_in, pack, endpoint):
    url, _ = endpoint_requests(pack)[endpoint]
    assert signed_in.get(url).status_code == 405


@pytest.mark.parametrize("endpoint", ["preview", "paste"])
def test_the_writing_endpoints_need_the_csrf_token(pack, editor, endpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url, data = endpoint_requests(pack)[endpoint]
    assert client.post(url, data).status_code == 403


def test_another_trust_s_section_cannot_be_previewed_under_this_trust(signed_in, pack, other_pack):
    foreign = markdown_section(other_pack)
    url = page("section_live_preview", pack, section_id=foreign.pk)
    assert signed_in.post(url, section_post_data(foreign)).status_code == 404


# --- live preview ---------------------------------------------------------------------------


def test_live_preview_is_the_sanitised_section_and_saves_nothing(signed_in, pack):
    section = markdown_section(pack)
    revision, events = section.revision, AuditEvent.objects.count()
    hostile = "# Parking\n\n**Bold** <script>alert(1)</script> [x](javascript:alert(1))"

    response = signed_in.post(preview_url(section), section_post_data(section, body=hostile))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "<strong>Bold</strong>" in html
    assert '<h3 id="live-preview-parking">Parking</h3>' in html
    assert "<script>" not in html and 'href="javascript:' not in html
    assert "<html" not in html  # a fragment for the panel, not a page
    section.refresh_from_db()
    assert section.revision == revision
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "body, message",
    [
        ("a" * 50_001, "Shorten it to 50,000 characters"),
        ("Bad \x07 bell", "invisible control character"),
        ("[" * 1_001, "square brackets"),
    ],
)
def test_live_preview_of_text_that_cannot_be_kept_shows_the_error(signed_in, pack, body, message):
    section = markdown_section(pack)

    response = signed_in.post(preview_url(section), section_post_data(section, body=body))

    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert response["Cache-Control"] == "no-store"
    assert '<p class="nhsuk-error-message">' in html
    assert message in html


def test_live_preview_of_a_structured_section_shows_its_list(signed_in, pack):
    section = pack.sections.filter(kind=Section.Kind.PEOPLE).first()
    data = section_post_data(section, body="Who is who.")
    index = int(data["people-TOTAL_FORMS"]) - 1
    data.update({
        f"people-{index}-name": "Dr Priya Raman",
        f"people-{index}-title": "Deputy Medical Director",
        f"people-{index}-relation": "reports_to_md",
    })  # fmt: skip

    response = signed_in.post(preview_url(section), data)

    assert response.status_code == 200
    assert "Dr Priya Raman" in response.content.decode()
    assert not section.post_holders.filter(name="Dr Priya Raman").exists()


def test_live_preview_of_a_form_without_a_title_says_what_to_do(signed_in, pack):
    section = markdown_section(pack)
    response = signed_in.post(preview_url(section), section_post_data(section, title=""))
    assert response.status_code == 422
    assert "Enter a title for the section" in response.content.decode()


def test_live_preview_keeps_to_a_query_budget(signed_in, pack, django_assert_max_num_queries):
    section = markdown_section(pack)
    data = section_post_data(section, body="Some **text**.")
    with django_assert_max_num_queries(8):
        assert signed_in.post(preview_url(section), data).status_code == 200


# --- paste endpoint -------------------------------------------------------------------------


def test_pasted_word_html_comes_back_as_markdown_with_what_was_dropped(signed_in, pack):
    response = signed_in.post(paste_url(pack), {"html": WORD_HTML, "text": "ignored"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "markdown": WORD_MARKDOWN,
        "changed": True,
        "converted": ["1 list"],
        "dropped": [
            "1 picture (pictures must be uploaded to the trust's picture library)",
            "colours and fonts",
        ],
    }


def test_pasted_tab_separated_text_comes_back_as_a_table(signed_in, pack):
    response = signed_in.post(paste_url(pack), {"html": "", "text": "Who\tWhen\nChair\tMonthly"})
    result = json.loads(response.content)
    assert result["markdown"] == "| Who | When |\n| --- | --- |\n| Chair | Monthly |"
    assert result["converted"] == ["1 table"]


def test_pasted_plain_text_with_nothing_to_convert_comes_back_unchanged(signed_in, pack):
    result = json.loads(signed_in.post(paste_url(pack), {"text": "Just words."}).content)
    assert result == {"markdown": "Just words.", "changed": False, "converted": [], "dropped": []}


def test_a_paste_over_the_limit_is_refused_with_a_clear_message(signed_in, pack):
    response = signed_in.post(paste_url(pack), {"html": "<p>" + "a" * MAX_PASTE_LENGTH})
    assert response.status_code == 400
    assert "too large to convert" in json.loads(response.content)["error"]


def test_a_deeply_nested_paste_is_refused_with_a_clear_message(signed_in, pack):
    response = signed_in.post(paste_url(pack), {"html": "<div>" * 3000 + "x"})
    assert response.status_code == 400
    assert "nested too deeply" in json.loads(response.content)["error"]


def test_paste_keeps_to_a_query_budget(signed_in, pack, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert signed_in.post(paste_url(pack), {"html": WORD_HTML}).status_code == 200


# --- without JavaScript: pasted markup in a submitted body ----------------------------------


@pytest.mark.parametrize("button", ["save", "preview"])
def test_saving_pasted_word_html_converts_it_and_saves_nothing(signed_in, pack, button):
    section = markdown_section(pack)
    before, revision = section.body, section.revision

    response = signed_in.post(
        edit_url(section), section_post_data(section, body=WORD_HTML, **{button: button})
    )

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Check the pasted text, then save again" in html
    assert "Nothing has been saved yet." in html
    assert "Converted: 1 list." in html
    assert "<li>1 picture (pictures must be uploaded to the trust's picture library)</li>" in html
    assert f"{WORD_MARKDOWN}</textarea>" in html
    assert "Preview (not saved yet)" not in html
    assert "nhsuk-error-summary" not in html
    section.refresh_from_db()
    assert (section.body, section.revision) == (before, revision)


def test_saving_the_converted_text_then_saves_it(signed_in, pack):
    section = markdown_section(pack)
    signed_in.post(edit_url(section), section_post_data(section, body=WORD_HTML))

    response = signed_in.post(edit_url(section), section_post_data(section, body=WORD_MARKDOWN))

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == WORD_MARKDOWN


def test_converted_text_that_still_mentions_markup_saves_when_submitted_as_shown(signed_in, pack):
    section = markdown_section(pack)
    body = "<p class=MsoNormal>Word marks its paragraphs with class=MsoNormal and &lt;o:p&gt;.</p>"
    first = signed_in.post(edit_url(section), section_post_data(section, body=body))
    html = first.content.decode()
    shown = "Word marks its paragraphs with class=MsoNormal and <o:p>."
    assert f"{shown}</textarea>" in unescape(html)
    check = hidden_value(html, "pasted_check")

    # Browsers send the textarea's line breaks as CRLF; the check still matches.
    data = section_post_data(section, body=shown.replace("\n", "\r\n"), pasted_check=check)
    response = signed_in.post(edit_url(section), data)

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == shown


def test_saving_tab_separated_rows_converts_them_to_a_table_first(signed_in, pack):
    section = markdown_section(pack)
    body = "Board dates:\n\nMeeting\tWhen\nBoard\tMonthly"

    response = signed_in.post(edit_url(section), section_post_data(section, body=body))

    html = unescape(response.content.decode())
    assert "Converted: 1 table." in html
    assert "| Meeting | When |\n| --- | --- |\n| Board | Monthly |</textarea>" in html
    assert markdown_section(pack).body != body


@pytest.mark.parametrize(
    "body",
    ["Use <b> for bold in the old system, and x < y.", "If a < b then b > a.\n\n- one\n- two"],
)
def test_ordinary_prose_with_angle_brackets_saves(signed_in, pack, body):
    section = markdown_section(pack)
    response = signed_in.post(edit_url(section), section_post_data(section, body=body))
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == body


def test_pasted_markup_that_cannot_be_converted_says_why_and_saves_nothing(signed_in, pack):
    section = markdown_section(pack)
    before = section.body
    body = "<p class=MsoNormal>" + "<div>" * 3000 + "x"

    response = signed_in.post(edit_url(section), section_post_data(section, body=body))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "The pasted text could not be converted" in html
    assert "nhsuk-error-summary" in html and "nested too deeply" in html
    section.refresh_from_db()
    assert section.body == before


def test_the_edit_page_names_the_writing_endpoints_for_its_script(signed_in, pack):
    section = markdown_section(pack)
    html = signed_in.get(edit_url(section)).content.decode()
    assert f'data-preview-url="{preview_url(section)}"' in html
    assert f'data-paste-url="{paste_url(pack)}"' in html
    assert 'data-markdown="full"' in html
    assert "js/markdown-editor.mjs" in html
