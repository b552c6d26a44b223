"""Reordering in the pack editor, in a real browser: sections dragged by their handle or moved
with the keyboard on the overview (each move saved at once), checklist steps added, dragged and
moved on the section's editor (saved with the section), and all of it without JavaScript too.

The module's tests share Southmoor's demo draft, so each reads the order as it finds it."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from induction import services
from induction.models import ChecklistItem, Section
from tests.browser.axe import assert_accessible

EDITOR = "/trusts/southmoor/induction/edit/"
ROWS = "table.app-section-list tbody tr[data-app-section]"


def saved_titles():
    return list(
        Section.objects.filter(pack__trust__slug="southmoor")
        .order_by("order")
        .values_list("title", flat=True)
    )


def shown_titles(page):
    return [row.get_attribute("data-app-title") for row in page.locator(ROWS).all()]


def checklist_url():
    section = Section.objects.get(pack__trust__slug="southmoor", kind=Section.Kind.CHECKLIST)
    return f"{EDITOR}sections/{section.pk}/"


def drag(page, handle, target, *, onto="top"):
    """Press the mouse on `handle`, move it in steps onto the top or bottom quarter of
    `target`, and let go: how a person drags with a mouse."""
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    end = target.bounding_box()
    y = end["y"] + end["height"] * (0.25 if onto == "top" else 0.75)
    page.mouse.move(start["x"] + start["width"] / 2, y, steps=25)
    page.mouse.up()


@pytest.fixture
def editor(demo_site, page, sign_in):
    sign_in(page, "southmoor-hr")
    assert page.goto(EDITOR).status == 200
    expect(page.locator(f"{ROWS} .app-drag-handle").first).to_be_visible()
    return page


# --- the overview -----------------------------------------------------------------------------


def test_a_section_dragged_by_its_handle_is_saved_where_it_was_dropped(editor):
    titles = shown_titles(editor)
    rows = editor.locator(ROWS)
    last = titles[-1]

    drag(editor, rows.last.locator(".app-drag-handle"), rows.nth(2), onto="top")

    status = editor.locator("#section-order-status")
    expect(status).to_have_text(
        re.compile(rf"^Moved “{re.escape(last)}” to position \d+ of {len(titles)}\.$")
    )
    dropped = shown_titles(editor)
    assert dropped != titles
    assert dropped.index(last) < len(titles) - 1
    # The numbers and the move buttons follow the new order.
    expect(rows.first.locator(".app-section-list__number")).to_have_text("1.")
    expect(rows.first.locator("form[data-app-move='up']")).to_be_hidden()
    expect(rows.last.locator("form[data-app-move='down']")).to_be_hidden()

    editor.reload()
    assert shown_titles(editor) == dropped == saved_titles()


def test_move_down_by_keyboard_saves_at_once_and_keeps_the_focus(editor):
    titles = shown_titles(editor)
    title = titles[1]
    row = editor.locator(f"{ROWS}[data-app-title='{title}']")
    button = row.get_by_role("button", name=re.compile("^Move down"))
    button.focus()

    editor.keyboard.press("Enter")

    status = editor.locator("#section-order-status")
    expect(status).to_have_text(f"Moved “{title}” to position 3 of {len(titles)}.")
    expect(button).to_be_focused()
    editor.keyboard.press("Enter")
    expect(status).to_have_text(f"Moved “{title}” to position 4 of {len(titles)}.")
    expect(button).to_be_focused()

    editor.reload()
    assert shown_titles(editor)[3] == title
    assert saved_titles()[3] == title


def test_at_the_top_the_focus_moves_to_the_other_button(editor):
    title = shown_titles(editor)[1]
    row = editor.locator(f"{ROWS}[data-app-title='{title}']")
    row.get_by_role("button", name=re.compile("^Move up")).focus()
    editor.keyboard.press("Enter")
    expect(row.get_by_role("button", name=re.compile("^Move down"))).to_be_focused()
    expect(row.locator("form[data-app-move='up']")).to_be_hidden()
    expect(editor.locator("#section-order-status")).to_contain_text("to position 1 of")


def test_a_move_from_an_out_of_date_page_reloads_it_with_the_reason(editor):
    titles = shown_titles(editor)
    # A colleague moves a section after this page was loaded.
    pack = Section.objects.get(pack__trust__slug="southmoor", title=titles[0]).pack
    colleague = get_user_model().objects.get(username="southmoor-cs")
    services.move_section(
        section=pack.sections.get(title=titles[0]), user=colleague, direction="down"
    )
    after_colleague = saved_titles()

    row = editor.locator(ROWS).nth(5)
    row.get_by_role("button", name=re.compile("^Move up")).click()

    expect(editor.locator("#maincontent")).to_contain_text(
        "The sections were changed by someone else while you were moving them"
    )
    assert shown_titles(editor) == after_colleague == saved_titles()


def test_the_overview_is_accessible_with_its_drag_handles(editor):
    assert_accessible(editor)


def test_the_overview_keeps_to_its_policy_while_dragging(demo_site, new_context, sign_in):
    page = new_context().new_page()  # the browser enforces the Content-Security-Policy
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    sign_in(page, "southmoor-hr")
    page.goto(EDITOR)
    rows = page.locator(ROWS)
    expect(rows.first.locator(".app-drag-handle")).to_be_visible()
    titles = shown_titles(page)
    drag(page, rows.nth(1).locator(".app-drag-handle"), rows.nth(3), onto="bottom")
    expect(page.locator("#section-order-status")).to_contain_text(f"“{titles[1]}”")
    page.goto(checklist_url())
    expect(page.locator("[data-app-add-row]")).to_be_visible()
    assert not violations, violations


# --- a checklist's steps ------------------------------------------------------------------------


@pytest.fixture
def checklist_editor(editor):
    assert editor.goto(checklist_url()).status == 200
    expect(editor.get_by_role("button", name="Add another step")).to_be_visible()
    return editor


def row_texts(page):
    return [
        box.input_value()
        for box in page.locator("ol[data-app-rows] > li textarea[name$='-text']").all()
    ]


def test_steps_added_with_javascript_and_dragged_keep_their_order(checklist_editor):
    page = checklist_editor
    keys = set(
        ChecklistItem.objects.filter(section__pack__trust__slug="southmoor").values_list(
            "key", flat=True
        )
    )
    # Without JavaScript's need for them, the button that brings more blank rows is gone.
    expect(page.get_by_role("button", name="Add more blank rows")).to_be_hidden()
    total = page.locator("input[name='checklist-TOTAL_FORMS']")
    count = int(total.input_value())
    rows = page.locator("ol[data-app-rows] > li")

    for text in (
        "Browser step A: meet the lead governor",
        "Browser step B: meet the FTSU guardian",
    ):
        page.get_by_role("button", name="Add another step").click()
        new_row = rows.last
        expect(new_row.locator("textarea")).to_be_focused()
        new_row.locator("textarea").fill(text)
        new_row.locator("select[name$='-category']").select_option("meet")
        new_row.locator("select[name$='-due_by_day']").select_option("7")
    expect(total).to_have_value(str(count + 2))
    expect(rows.last.locator("legend")).to_have_text(f"Step {count + 2}")

    drag(page, rows.last.locator(".app-drag-handle"), rows.nth(count), onto="top")

    texts = row_texts(page)
    assert texts.index("Browser step B: meet the FTSU guardian") < texts.index(
        "Browser step A: meet the lead governor"
    )
    # The hidden position boxes follow the rows, and so do the legends.
    positions = [box.input_value() for box in rows.locator("input[name$='-ORDER']").all()]
    assert positions == [str(n) for n in range(1, count + 3)]
    expect(rows.last.locator("legend")).to_have_text(f"Step {count + 2}")

    page.locator("#maincontent").get_by_role("button", name="Save the section").click()
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")

    saved = list(
        ChecklistItem.objects.filter(section__pack__trust__slug="southmoor", due_by_day=7)
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert saved.index("Browser step B: meet the FTSU guardian") < saved.index(
        "Browser step A: meet the lead governor"
    )
    after = set(
        ChecklistItem.objects.filter(section__pack__trust__slug="southmoor").values_list(
            "key", flat=True
        )
    )
    assert keys < after and len(after) == len(keys) + 2


def test_a_step_moved_up_by_keyboard_keeps_the_focus_and_is_saved_there(checklist_editor):
    page = checklist_editor
    rows = page.locator("ol[data-app-rows] > li")
    texts = row_texts(page)
    second = rows.nth(1)
    button = second.get_by_role("button", name=re.compile("^Move up"))
    button.focus()
    page.keyboard.press("Enter")

    assert row_texts(page)[:2] == [texts[1], texts[0]]
    expect(page.locator("#checklist-order-status")).to_contain_text("Moved to position 1 of")
    # At the top its Move up is gone; Enter again would do nothing, so the focus moved on.
    expect(rows.first.get_by_role("button", name=re.compile("^Move down"))).to_be_focused()

    page.locator("#maincontent").get_by_role("button", name="Save the section").click()
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    page.goto(checklist_url())
    assert row_texts(page)[:2] == [texts[1], texts[0]]


def test_the_checklist_editor_is_accessible_and_fits_a_phone(
    checklist_editor, new_context, sign_in
):
    page = checklist_editor
    page.get_by_role("button", name="Add another step").click()
    assert_accessible(page)

    phone = new_context(viewport={"width": 375, "height": 800}, bypass_csp=True).new_page()
    sign_in(phone, "southmoor-hr")
    phone.goto(checklist_url())
    expect(phone.get_by_role("button", name="Add another step")).to_be_visible()
    assert phone.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(phone)


# --- without JavaScript -----------------------------------------------------------------------


@pytest.fixture
def no_script(demo_site, new_context, sign_in):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "southmoor-hr")
    return page


def test_without_javascript_the_move_buttons_move_and_keep_the_focus(no_script):
    page = no_script
    page.goto(EDITOR)
    titles = shown_titles(page)
    expect(page.locator(f"{ROWS} .app-drag-handle")).to_have_count(0)
    row = page.locator(f"{ROWS}[data-app-title='{titles[2]}']")
    row.get_by_role("button", name=re.compile("^Move down")).click()

    expect(page.locator("#maincontent")).to_contain_text(f"Moved “{titles[2]}” down.")
    assert shown_titles(page)[3] == titles[2] == saved_titles()[3]
    moved = page.locator(f"{ROWS}[data-app-title='{titles[2]}']")
    expect(moved.get_by_role("button", name=re.compile("^Move down"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"{ROWS}").nth(4)).to_have_attribute("data-app-title", titles[2])


def test_without_javascript_positions_reorder_the_steps(no_script):
    page = no_script
    page.goto(checklist_url())
    rows = page.locator("ol[data-app-rows] > li")
    texts = row_texts(page)
    expect(rows.first.get_by_label("Position in the list")).to_be_visible()
    expect(rows.first.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)

    rows.nth(1).get_by_label("Position in the list").fill("1")
    page.locator("#maincontent").get_by_role("button", name="Save the section").click()

    expect(page.locator("#maincontent")).to_contain_text("Saved the section")
    page.goto(checklist_url())
    assert row_texts(page)[:2] == [texts[1], texts[0]]


def test_without_javascript_more_blank_rows_keep_what_was_typed(no_script):
    page = no_script
    page.goto(checklist_url())
    rows = page.locator("ol[data-app-rows] > li")
    count = rows.count()
    blank = rows.nth(count - 3)
    blank.locator("textarea").fill("Typed before asking for more rows")
    steps = ChecklistItem.objects.filter(section__pack__trust__slug="southmoor").count()

    page.get_by_role("button", name="Add more blank rows").click()

    expect(page).to_have_url(re.compile(r"#checklist-blank-rows$"))
    expect(rows).to_have_count(count + 5)
    assert "Typed before asking for more rows" in row_texts(page)
    assert ChecklistItem.objects.filter(section__pack__trust__slug="southmoor").count() == steps
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
