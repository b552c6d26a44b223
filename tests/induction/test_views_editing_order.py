"""The editor's ordering: the sections' order endpoint behind drag and drop, the move buttons'
focus, and a section's checklist steps edited as rows (positions, blank rows, removal)."""

import re
from html import unescape

import pytest

from induction import services
from induction.forms.section_lists import BLANK_ROWS, MORE_BLANK_ROWS
from induction.models import AuditEvent, Membership, Section

from .ui_helpers import page, section_post_data

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def ids(pack):
    return list(pack.sections.values_list("pk", flat=True))


def order_data(pack, order=None, expected=None, **extra):
    current = ids(pack)
    return {
        "order": current[::-1] if order is None else order,
        "expected_order": current if expected is None else expected,
        **extra,
    }


def reorders(pack):
    return AuditEvent.objects.filter(pack=pack, action=AuditEvent.Action.SECTIONS_REORDERED)


def messages_on_overview(client, pack):
    return unescape(client.get(page("pack_edit", pack)).content.decode())


# --- the order endpoint ---------------------------------------------------------------------


def test_a_script_s_reorder_is_saved_and_answered_with_words_to_announce(signed_in, pack):
    before = ids(pack)
    glossary = pack.sections.get(title="Glossary")
    order = [before[0], before[1], glossary.pk, *[pk for pk in before[2:] if pk != glossary.pk]]
    response = signed_in.post(
        page("sections_order", pack), order_data(pack, order, moved=glossary.pk), **JSON
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Moved “Glossary” to position 3 of 10."}
    assert ids(pack) == order
    assert response["Cache-Control"] == "no-store"
    # The words are for the script to announce, not left for the next page.
    assert "Moved “Glossary”" not in messages_on_overview(signed_in, pack)


def test_a_form_post_without_a_script_is_answered_with_a_redirect_and_a_message(signed_in, pack):
    before = ids(pack)
    response = signed_in.post(page("sections_order", pack), order_data(pack))
    assert response.status_code == 302
    assert response["Location"] == page("pack_edit", pack) + "#sections"
    assert ids(pack) == before[::-1]
    assert "Moved " in messages_on_overview(signed_in, pack)


def test_a_stale_order_is_refused_to_a_script_and_told_on_the_reloaded_page(
    signed_in, pack, second_editor
):
    loaded = ids(pack)
    welcome = pack.sections.get(title="Welcome")
    services.move_section(section=welcome, user=second_editor, direction="down")
    now = ids(pack)
    response = signed_in.post(
        page("sections_order", pack), order_data(pack, loaded[::-1], loaded), **JSON
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["error"]
    assert ids(pack) == now
    assert "changed by someone else while you were moving them" in messages_on_overview(
        signed_in, pack
    )


def test_a_stale_order_posted_without_a_script_redirects_with_the_reason(
    signed_in, pack, second_editor
):
    loaded = ids(pack)
    services.add_section(pack=pack, user=second_editor, title="Parking")
    response = signed_in.post(page("sections_order", pack), order_data(pack, loaded[::-1], loaded))
    assert response.status_code == 302
    assert "changed by someone else" in messages_on_overview(signed_in, pack)
    assert pack.sections.order_by("-order").first().title == "Parking"


def test_two_scripts_from_the_same_loaded_page_the_second_is_refused(
    client, pack, editor, second_editor
):
    loaded = ids(pack)
    client.force_login(editor)
    first = client.post(
        page("sections_order", pack), order_data(pack, loaded[::-1], loaded), **JSON
    )
    assert first.status_code == 200
    client.force_login(second_editor)
    second = client.post(
        page("sections_order", pack), order_data(pack, loaded[1:] + loaded[:1], loaded), **JSON
    )
    assert second.status_code == 409
    assert ids(pack) == loaded[::-1]
    assert reorders(pack).count() == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda order, foreign: order[:-1], id="missing"),
        pytest.param(lambda order, foreign: order + order[:1], id="duplicated"),
        pytest.param(lambda order, foreign: [*order[:-1], foreign], id="another pack's"),
    ],
)
@pytest.mark.parametrize("as_json", [True, False])
def test_an_order_that_is_not_the_draft_s_sections_is_a_clear_refusal(
    signed_in, pack, other_pack, change, as_json
):
    before = ids(pack)
    order = change(before[::-1], other_pack.sections.first().pk)
    headers = JSON if as_json else {}
    response = signed_in.post(page("sections_order", pack), order_data(pack, order), **headers)
    if as_json:
        assert response.status_code == 400
        assert "every section of the draft once" in response.json()["error"]
    else:
        assert response.status_code == 302
        assert "every section of the draft once" in messages_on_overview(signed_in, pack)
    assert ids(pack) == before
    assert not reorders(pack).exists()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"order": ["a", "b"], "expected_order": ["1"]}, id="words"),
        pytest.param({"order": ["-1"], "expected_order": ["1"]}, id="negative"),
        pytest.param({"order": ["1.5"], "expected_order": ["1"]}, id="fraction"),
        pytest.param({"order": ["١٢"], "expected_order": ["1"]}, id="other digits"),
        pytest.param({"order": ["9" * 5000], "expected_order": ["1"]}, id="a huge number"),
        pytest.param({"order": ["1"] * 5000, "expected_order": ["1"]}, id="a huge list"),
        pytest.param({"order": ["1"], "expected_order": ["x"]}, id="expected not numbers"),
        pytest.param({"order": ["1"], "expected_order": ["1"], "moved": "x"}, id="moved a word"),
    ],
)
@pytest.mark.parametrize("as_json", [True, False])
def test_bad_input_is_a_400_never_a_500_and_changes_nothing(signed_in, pack, data, as_json):
    before = ids(pack)
    headers = JSON if as_json else {}
    response = signed_in.post(page("sections_order", pack), data, **headers)
    assert response.status_code == 400
    if as_json:
        assert "error" in response.json()
    assert ids(pack) == before
    assert not reorders(pack).exists()


def test_nothing_posted_is_an_order_of_nothing_and_refused(signed_in, pack):
    before = ids(pack)
    response = signed_in.post(page("sections_order", pack), {}, **JSON)
    assert response.status_code == 400
    assert ids(pack) == before


def test_the_order_endpoint_needs_post(signed_in, pack):
    assert signed_in.get(page("sections_order", pack)).status_code == 405


def test_the_order_endpoint_needs_the_csrf_token(pack, editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = ids(pack)
    response = client.post(page("sections_order", pack), order_data(pack), **JSON)
    assert response.status_code == 403
    assert ids(pack) == before


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302),
        ("reader", 403),
        ("approver", 403),
        ("outsider", 404),
        ("staff", 403),
        ("staff_acting", 200),
        ("editor_approver", 200),
    ],
)
def test_who_may_reorder(request, client, pack, other_pack, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = ids(pack)
    response = client.post(page("sections_order", pack), order_data(pack), **JSON)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    if who == "staff":
        # Platform staff are refused with the offer of the audited step, never a change.
        assert "Act as an editor of" in unescape(response.content.decode())
    if status == 200:
        assert ids(pack) == before[::-1]
    else:
        assert ids(pack) == before
        assert not reorders(pack).exists()


def test_another_trust_s_editor_cannot_reorder_it_under_their_own_trust(client, pack, outsider,
                                                                       other_pack):  # fmt: skip
    # The outsider's own trust, with this pack's ids: not their sections, so refused.
    client.force_login(outsider)
    before = ids(pack)
    theirs = ids(other_pack)
    response = client.post(
        page("sections_order", other_pack), order_data(pack, before[::-1], before), **JSON
    )
    assert response.status_code == 409
    assert ids(pack) == before
    assert ids(other_pack) == theirs


def test_reordering_keeps_to_a_query_budget(signed_in, pack, django_assert_max_num_queries):
    data = order_data(pack)
    with django_assert_max_num_queries(14):
        assert signed_in.post(page("sections_order", pack), data, **JSON).status_code == 200


def test_reorder_queries_do_not_grow_with_the_number_of_sections(signed_in, pack):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.post(page("sections_order", pack), order_data(pack), **JSON)
            assert response.status_code == 200
        return len(captured)

    before = queries()
    last = pack.sections.order_by("-order").first().order
    Section.objects.bulk_create(
        Section(pack=pack, title=f"Extra {n}", order=last + n) for n in range(1, 26)
    )
    assert queries() == before


# --- the overview's move buttons ------------------------------------------------------------


def test_the_overview_offers_drag_and_drop_with_the_sections_in_order(signed_in, pack):
    html = signed_in.get(page("pack_edit", pack)).content.decode()
    assert f'data-app-reorder="{page("sections_order", pack)}"' in html
    assert re.findall(r'data-app-section="(\d+)"', html) == [str(pk) for pk in ids(pack)]
    assert "vendor/sortablejs/Sortable.min.js" in html
    assert "js/reorder.mjs" in html


def test_the_first_section_s_move_up_and_the_last_s_move_down_are_hidden(signed_in, pack):
    html = signed_in.get(page("pack_edit", pack)).content.decode()
    forms_html = re.findall(r"<form class=\"app-inline-form\"[^>]*>", html)
    hidden = [tag for tag in forms_html if " hidden" in tag]
    assert len(forms_html) == 2 * pack.sections.count()
    assert len(hidden) == 2
    assert 'data-app-move="up"' in hidden[0] and 'data-app-move="down"' in hidden[1]


def test_a_move_button_brings_the_focus_back_to_itself(signed_in, pack):
    welcome = pack.sections.get(title="Welcome")
    response = signed_in.post(
        page("section_move", pack, section_id=welcome.pk), {"direction": "down"}
    )
    assert response.status_code == 302
    assert response["Location"] == (page("pack_edit", pack) + f"?moved={welcome.pk}&direction=down")
    html = signed_in.get(response["Location"]).content.decode()
    assert html.count("autofocus") == 1
    row = html[html.index(f'id="section-{welcome.pk}"') :]
    row = row[: row.index("</tr>")]
    down = row[row.index('data-app-move="down"') :]
    assert down[: down.index("</button>")].count("autofocus") == 1


def test_at_the_top_the_focus_goes_to_the_other_button(signed_in, pack):
    second = pack.sections.all()[1]
    response = signed_in.post(page("section_move", pack, section_id=second.pk), {"direction": "up"})
    html = signed_in.get(response["Location"]).content.decode()
    row = html[html.index(f'id="section-{second.pk}"') :]
    row = row[: row.index("</tr>")]
    down = row[row.index('data-app-move="down"') :]
    assert "autofocus" in down[: down.index("</button>")]


@pytest.mark.parametrize(
    "query", ["?moved=x", "?moved=999999&direction=up", "?direction=down", "?moved=" + "9" * 5000]
)
def test_a_made_up_focus_request_focuses_nothing(signed_in, pack, query):
    html = signed_in.get(page("pack_edit", pack) + query).content.decode()
    assert "autofocus" not in html


# --- a checklist as rows ----------------------------------------------------------------------


def checklist(pack):
    return pack.sections.get(kind=Section.Kind.CHECKLIST)


def edit_url(section):
    return page("section_edit", section.pack, section_id=section.pk)


def steps(section):
    return list(section.checklist.values_list("text", "key"))


def posted_rows(section, *, blank=BLANK_ROWS, **fields):
    """What the checklist's edit page posts as drawn: each step with its key and position, then
    the blank rows (whose "By when?" select posts its first choice)."""
    items = list(section.checklist.all())
    data = section_post_data(section)
    data["checklist-TOTAL_FORMS"] = str(len(items) + blank)
    for index, item in enumerate(items):
        data[f"checklist-{index}-key"] = item.key
        data[f"checklist-{index}-ORDER"] = str(index + 1)
    for index in range(len(items), len(items) + blank):
        data[f"checklist-{index}-due_by_day"] = "30"
        data[f"checklist-{index}-ORDER"] = ""
    data.update(fields)
    return data


def test_the_checklist_hint_is_said_once_above_the_rows(signed_in, pack):
    html = unescape(signed_in.get(edit_url(checklist(pack))).content.decode())
    assert html.count("Meet the chair of the audit committee") == 1
    assert html.count("Readers see the steps grouped by when they are due") == 1
    # Each step is a text box of at least three lines, with selects for its kind and timing.
    count = checklist(pack).checklist.count()
    assert len(re.findall(r'<textarea name="checklist-\d+-text"[^>]* rows="\d+"', html)) == (
        count + BLANK_ROWS
    )
    assert all(
        int(rows) >= 3 for rows in re.findall(r'name="checklist-\d+-text"[^>]* rows="(\d+)"', html)
    )
    assert 'type="radio"' not in html
    assert len(re.findall(r'<select name="checklist-\d+-due_by_day"', html)) == count + 3


def test_a_long_step_s_box_is_tall_enough_to_show_it_all(signed_in, pack):
    section = checklist(pack)
    item = section.checklist.first()
    item.text = "A long step. " * 22
    item.save()
    html = signed_in.get(edit_url(section)).content.decode()
    rows = re.search(r'name="checklist-0-text"[^>]* rows="(\d+)"', html).group(1)
    assert int(rows) >= 5


def test_blank_rows_are_ignored_on_saving(signed_in, pack):
    section = checklist(pack)
    before = steps(section)
    response = signed_in.post(edit_url(section), posted_rows(section))
    assert response.status_code == 302
    assert sorted(steps(section)) == sorted(before)


def test_a_step_typed_into_a_blank_row_is_added(signed_in, pack):
    section = checklist(pack)
    count = section.checklist.count()
    data = posted_rows(section)
    data[f"checklist-{count + 1}-text"] = "Meet the Freedom to Speak Up Guardian"
    data[f"checklist-{count + 1}-category"] = "meet"
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert section.checklist.filter(text="Meet the Freedom to Speak Up Guardian").exists()
    assert section.checklist.count() == count + 1


def test_a_multi_line_step_is_saved_as_typed(signed_in, pack):
    section = checklist(pack)
    count = section.checklist.count()
    text = "Meet the ward managers:\n- surgery\n- medicine"
    data = posted_rows(section)
    data[f"checklist-{count}-text"] = text
    data[f"checklist-{count}-category"] = "meet"
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert section.checklist.filter(text=text).exists()


def test_a_step_ticked_for_removal_is_removed(signed_in, pack):
    section = checklist(pack)
    first = section.checklist.first()
    data = posted_rows(section, **{"checklist-0-DELETE": "on"})
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert not section.checklist.filter(key=first.key).exists()


def test_positions_reorder_the_steps_and_each_keeps_its_key(signed_in, pack):
    section = checklist(pack)
    items = list(section.checklist.all())
    # The first two steps share a timing, so their order is theirs to choose.
    assert items[0].due_by_day == items[1].due_by_day
    keys = {item.text: item.key for item in items}
    data = posted_rows(section, **{"checklist-0-ORDER": "2", "checklist-1-ORDER": "1"})
    assert signed_in.post(edit_url(section), data).status_code == 302
    after = list(section.checklist.all())
    assert [after[0].text, after[1].text] == [items[1].text, items[0].text]
    assert {item.text: item.key for item in after} == keys


def test_a_step_given_another_s_position_goes_before_it_when_moved_up(signed_in, pack):
    section = checklist(pack)
    items = list(section.checklist.filter(due_by_day=items_timing(section)))
    third = items[2]
    # Typing 1 in the third row puts it first; typing 3 in the first puts it third.
    data = posted_rows(section, **{"checklist-2-ORDER": "1"})
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert section.checklist.first().key == third.key
    moved_down = section.checklist.first()
    section.refresh_from_db()
    data = posted_rows(section, **{"checklist-0-ORDER": "3"})
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert list(section.checklist.all())[2].key == moved_down.key


def items_timing(section):
    return section.checklist.first().due_by_day


def test_a_position_that_is_not_a_number_says_what_to_do_and_saves_nothing(signed_in, pack):
    section = checklist(pack)
    before = steps(section)
    response = signed_in.post(edit_url(section), posted_rows(section, **{"checklist-0-ORDER": "x"}))
    assert response.status_code == 200
    assert "Enter the position as a whole number, for example 3" in response.content.decode()
    assert steps(section) == before


@pytest.mark.parametrize("position", ["9" * 5000, "-3", "x", ""])
def test_add_more_blank_rows_puts_a_row_with_an_unreadable_position_last(signed_in, pack, position):
    section = checklist(pack)
    data = posted_rows(section, add_rows="add_rows", **{"checklist-0-ORDER": position})
    response = signed_in.post(edit_url(section), data)
    assert response.status_code == 200
    first = section.checklist.first()
    texts = re.findall(
        r'<textarea name="checklist-\d+-text"[^>]*>\n?(.*?)</textarea>',
        response.content.decode(),
        re.S,
    )
    assert unescape(texts[section.checklist.count() - 1]) == first.text


def test_add_more_blank_rows_keeps_what_was_typed_and_saves_nothing(signed_in, pack):
    section = checklist(pack)
    before = steps(section)
    count = len(before)
    data = posted_rows(section, add_rows="add_rows")
    data["checklist-0-text"] = "Changed, not saved"
    data[f"checklist-{count}-text"] = "A new step,\non two lines"
    data[f"checklist-{count}-category"] = "read"
    data[f"checklist-{count}-ORDER"] = "1"
    data["title"] = "A title typed, not saved"
    data["checklist-1-DELETE"] = "on"
    response = signed_in.post(edit_url(section), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert steps(section) == before
    section.refresh_from_db()
    assert section.title != "A title typed, not saved"
    assert section.revision == 1
    # Everything typed is there, the new step first as its position asked, and five more
    # blank rows than before at the end; no error is shown for rows not yet finished.
    assert 'value="A title typed, not saved"' in html
    texts = re.findall(
        r'<textarea name="checklist-(\d+)-text"[^>]*>\n?(.*?)</textarea>', html, re.S
    )
    assert unescape(texts[0][1]) == "A new step,\non two lines"
    assert unescape(texts[1][1]) == "Changed, not saved"
    assert len(texts) == count + 1 + BLANK_ROWS - 1 + MORE_BLANK_ROWS
    assert re.search(r'name="checklist-2-DELETE"[^>]*checked', html)
    assert "There is a problem" not in html
    assert 'id="checklist-blank-rows"' in html
    # The keys come back with their steps, so saving now keeps them.
    for item in section.checklist.all()[:1]:
        assert f'value="{item.key}"' in html


def test_the_rows_shown_again_save_as_shown(signed_in, pack):
    section = checklist(pack)
    keys = set(section.checklist.values_list("key", flat=True))
    count = len(keys)
    data = posted_rows(section, add_rows="add_rows")
    data[f"checklist-{count}-text"] = "Meet the Caldicott Guardian"
    data[f"checklist-{count}-category"] = "meet"
    html = signed_in.post(edit_url(section), data).content.decode()
    # Post the page back as drawn: every input and textarea with its value.
    shown = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', html
        )
    }
    shown.update(
        (name, unescape(value).removeprefix("\n"))
        for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)
    )
    shown.update(
        re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected>', html, re.S)
    )
    shown.pop("csrfmiddlewaretoken", None)
    # What is inside the <template> (the script's blank row) is never posted.
    shown = {name: value for name, value in shown.items() if "__prefix__" not in name}
    response = signed_in.post(edit_url(section), shown)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert section.checklist.filter(text="Meet the Caldicott Guardian").exists()
    assert keys <= set(section.checklist.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("checklist-TOTAL_FORMS", "lots"),
        ("checklist-TOTAL_FORMS", "-1"),
        ("checklist-INITIAL_FORMS", "not a number"),
    ],
)
@pytest.mark.parametrize("button", ["save", "preview", "add_rows"])
def test_a_tampered_checklist_form_is_a_400_page_and_saves_nothing(
    signed_in, pack, field, value, button
):
    section = checklist(pack)
    before = steps(section)
    data = posted_rows(section, **{field: value, button: "1"})
    response = signed_in.post(edit_url(section), data)
    assert response.status_code == 400
    assert steps(section) == before


@pytest.mark.parametrize("total", ["201", "100000"])
@pytest.mark.parametrize("button", ["save", "add_rows"])
def test_more_rows_than_the_list_may_have_is_a_400_not_a_slow_page(signed_in, pack, button, total):
    section = checklist(pack)
    before = steps(section)
    data = posted_rows(section, **{"checklist-TOTAL_FORMS": total, button: "1"})
    assert signed_in.post(edit_url(section), data).status_code == 400
    assert steps(section) == before


def test_people_are_rows_too_with_their_hints_said_once(signed_in, pack):
    section = pack.sections.get(kind=Section.Kind.PEOPLE)
    html = unescape(signed_in.get(edit_url(section)).content.decode())
    assert html.count("for example, Chief Executive") == 1
    assert 'type="radio"' not in html
    assert len(re.findall(r'name="people-\d+-ORDER"', html)) == (
        section.post_holders.count() + BLANK_ROWS
    )


def test_people_keep_the_order_of_their_positions(signed_in, pack, editor):
    section = pack.sections.get(kind=Section.Kind.PEOPLE)
    people = [("Dr Asha Patel", "Chief Executive"), ("Sam Jones", "Chair"), ("Kim Lee", "CFO")]
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        post_holders=[
            {"name": name, "title": title, "relation": "works_with"} for name, title in people
        ],
    )
    section.refresh_from_db()
    names = [name for name, _ in people]
    data = section_post_data(section)
    for index in range(len(names)):
        data[f"people-{index}-ORDER"] = str(index + 1)
    data["people-0-ORDER"] = str(len(names))
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert list(section.post_holders.values_list("name", flat=True)) == names[1:] + names[:1]


def test_the_section_editor_keeps_to_its_query_budget_after_adding_rows(
    signed_in, pack, django_assert_max_num_queries
):
    section = checklist(pack)
    data = posted_rows(section, add_rows="add_rows")
    with django_assert_max_num_queries(10):
        assert signed_in.post(edit_url(section), data).status_code == 200


def test_a_reader_cannot_add_rows_to_see_the_editor(client, pack, make_user, trust):
    reader = make_user("another-reader", trust=trust, roles=[Membership.Role.READER])
    client.force_login(reader)
    section = checklist(pack)
    before = steps(section)
    response = client.post(edit_url(section), posted_rows(section, add_rows="add_rows"))
    assert response.status_code == 403
    assert 'name="checklist-0-text"' not in response.content.decode()
    assert steps(section) == before
