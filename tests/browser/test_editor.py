"""The pack editor for a trust's HR admin, in a real browser: every editor page passes axe-core
in its normal, preview and error states, and its main action works end to end."""

import re

import pytest
from playwright.sync_api import expect

from induction.models import ChecklistItem, PackVersion, PostHolder, ResponsibilityOverlay
from tests.browser.axe import assert_accessible

EDITOR = "/trusts/northshire/induction/edit/"

# What the editor's section table says in its "Kind" column.
MARKDOWN = "Free text (Markdown)"
RESPONSIBILITIES = "Responsibilities: the national list, held here"
PEOPLE = "Reporting lines and who is who"
CHECKLIST = "First 100 days checklist"


@pytest.fixture
def editor(demo_site, page, sign_in):
    """A page signed in as Northshire's HR admin (editor and approver), on the editor."""
    sign_in(page, "northshire-hr")
    response = page.goto(EDITOR)
    assert response.status == 200
    return page


def open_section(page, kind_label):
    """From the editor index, open the first section of the given kind."""
    row = page.locator("table.app-section-list tbody tr").filter(
        has=page.get_by_role("cell", name=kind_label, exact=True)
    )
    row.first.get_by_role("rowheader").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/induction/edit/sections/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit")


def save_section(page):
    page.locator("#maincontent").get_by_role("button", name="Save the section").click()


def expect_saved(page):
    expect(page).to_have_url(re.compile(r"/induction/edit/(#section-\d+)?$"))
    expect(page.locator("#maincontent")).to_contain_text("Saved the section")


def expect_error_summary(page, message):
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))


def test_editor_index_is_accessible_and_reorders_sections(editor):
    main = editor.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text(re.compile("Edit the induction pack"))
    rows = main.locator("table.app-section-list tbody tr")
    assert rows.count() >= 5
    first_title = rows.first.get_by_role("rowheader").get_by_role("link").text_content()
    assert_accessible(editor)

    rows.first.get_by_role("button", name=re.compile("^Move down")).click()

    expect(editor.locator("#maincontent")).to_contain_text("Moved")
    second = editor.locator("table.app-section-list tbody tr").nth(1)
    expect(second.get_by_role("rowheader").get_by_role("link")).to_have_text(first_title)


def test_markdown_section_shows_a_preview_and_an_accessible_validation_error(editor):
    open_section(editor, MARKDOWN)
    main = editor.locator("#maincontent")
    assert_accessible(editor)

    main.locator("textarea[name='body']").fill(
        "## Who to call first\n\n"
        "| When | Who |\n|---|---|\n| Day one | The Chief Executive's office |\n\n"
        "Ring the switchboard.[^1]\n\n[^1]: Extension 4000, staffed all day."
    )
    main.get_by_role("button", name="Preview").click()

    preview = editor.locator(".app-preview")
    expect(preview).to_be_visible()
    expect(preview.get_by_role("table")).to_contain_text("The Chief Executive's office")
    expect(preview.get_by_role("heading", name="Who to call first")).to_be_visible()
    assert_accessible(editor)

    editor.locator("#maincontent input[name='title']").fill("")
    save_section(editor)

    expect_error_summary(editor, "Enter a title for the section")
    assert_accessible(editor)
    editor.locator(".nhsuk-error-summary a").first.click()
    expect(editor.locator("input[name='title']")).to_be_focused()


def test_responsibilities_overlay_edit_explains_a_missing_post_then_saves(editor):
    open_section(editor, RESPONSIBILITIES)
    main = editor.locator("#maincontent")
    assert_accessible(editor)

    main.locator("input[name='overlays-0-status'][value='delegated']").check()
    main.locator("input[name='overlays-0-delegated_to']").fill("")
    save_section(editor)

    expect_error_summary(editor, "Enter the post this responsibility is delegated to")
    assert_accessible(editor)

    main = editor.locator("#maincontent")
    main.locator("input[name='overlays-0-delegated_to']").fill("Deputy Medical Director")
    save_section(editor)

    expect_saved(editor)
    assert ResponsibilityOverlay.objects.filter(
        section__pack__trust__slug="northshire",
        status="delegated",
        delegated_to="Deputy Medical Director",
    ).exists()


def test_people_edit_adds_a_post_holder(editor):
    open_section(editor, PEOPLE)
    assert_accessible(editor)
    main = editor.locator("#maincontent")
    # The list ends with blank rows for new people.
    index = int(main.locator("input[name='people-TOTAL_FORMS']").input_value()) - 1

    main.locator(f"input[name='people-{index}-name']").fill("Dr Priya Raman")
    main.locator(f"input[name='people-{index}-title']").fill("Deputy Medical Director")
    main.locator(f"select[name='people-{index}-relation']").select_option("reports_to_md")
    main.locator(f"input[name='people-{index}-contact']").fill("priya.raman@example.nhs.uk")
    save_section(editor)

    expect_saved(editor)
    assert PostHolder.objects.filter(
        section__pack__trust__slug="northshire", name="Dr Priya Raman"
    ).exists()


def test_people_edit_shows_an_accessible_error_for_a_person_without_a_job_title(editor):
    open_section(editor, PEOPLE)
    main = editor.locator("#maincontent")
    index = int(main.locator("input[name='people-TOTAL_FORMS']").input_value()) - 1

    main.locator(f"input[name='people-{index}-name']").fill("Dr Priya Raman")
    save_section(editor)

    expect_error_summary(editor, "Enter the person's job title")
    assert_accessible(editor)


def test_checklist_edit_adds_a_step(editor):
    open_section(editor, CHECKLIST)
    assert_accessible(editor)
    main = editor.locator("#maincontent")
    index = int(main.locator("input[name='checklist-TOTAL_FORMS']").input_value()) - 1

    main.locator(f"textarea[name='checklist-{index}-text']").fill(
        "Meet the chair of the quality committee"
    )
    main.locator(f"select[name='checklist-{index}-category']").select_option("meet")
    main.locator(f"select[name='checklist-{index}-due_by_day']").select_option("7")
    save_section(editor)

    expect_saved(editor)
    assert ChecklistItem.objects.filter(
        section__pack__trust__slug="northshire",
        text="Meet the chair of the quality committee",
        due_by_day=7,
    ).exists()


def test_publish_page_is_accessible_and_publishes_the_next_version(editor):
    newest = PackVersion.objects.filter(pack__trust__slug="northshire").latest("number")
    editor.locator("#maincontent").get_by_role("link", name="Publish the draft").click()
    expect(editor).to_have_url(re.compile(r"/trusts/northshire/induction/publish/$"))
    main = editor.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text("Publish the draft")
    assert_accessible(editor)

    main.locator("textarea[name='change_summary']").fill("New switchboard extension.")
    main.get_by_role("button", name="Publish this version").click()

    number = newest.number + 1
    expect(editor).to_have_url(re.compile(rf"/trusts/northshire/induction/v{number}/$"))
    main = editor.locator("#maincontent")
    expect(main).to_contain_text(f"Published version {number}")
    expect(main).to_contain_text("New switchboard extension.")
    assert_accessible(editor)


def test_audit_trail_is_accessible_and_lists_publications(editor):
    editor.locator("#maincontent").get_by_role("link", name=re.compile("Audit trail")).click()

    expect(editor).to_have_url(re.compile(r"/trusts/northshire/induction/audit/$"))
    main = editor.locator("#maincontent")
    expect(main.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(main.locator("tbody tr").first).to_be_visible()
    assert_accessible(editor)


def test_other_editor_pages_are_accessible(editor):
    """Whole-draft preview, settings, add a section and the remove confirmation."""
    main = editor.locator("#maincontent")
    pages = [
        ("Preview the whole draft", r"/edit/preview/$"),
        ("Change the pack's title", r"/edit/settings/$"),
        ("Add a section", r"/edit/sections/add/$"),
    ]
    for link_name, address in pages:
        editor.goto(EDITOR)
        main.get_by_role("link", name=re.compile(re.escape(link_name))).first.click()
        expect(editor).to_have_url(re.compile(address))
        assert_accessible(editor)

    editor.goto(EDITOR)
    main.get_by_role("link", name=re.compile("^Remove")).first.click()
    expect(editor).to_have_url(re.compile(r"/edit/sections/\d+/remove/$"))
    assert_accessible(editor)


def test_second_editor_saving_a_changed_section_is_told_and_loses_nothing(editor, new_context):
    open_section(editor, MARKDOWN)
    section_address = editor.url
    # A colleague opens the same section in another browser, and saves first.
    colleague = new_context(bypass_csp=True).new_page()
    colleague.context.add_cookies(editor.context.cookies())
    colleague.goto(section_address)
    colleague.locator("textarea[name='body']").fill("The colleague's version of this section.")
    colleague.get_by_role("button", name="Save the section").click()
    expect(colleague.locator("#maincontent")).to_contain_text("Saved the section")

    editor.locator("#maincontent textarea[name='body']").fill("My version, typed meanwhile.")
    save_section(editor)

    expect_error_summary(editor, "This section changed while you were editing it")
    main = editor.locator("#maincontent")
    expect(main).to_contain_text("My version, typed meanwhile.")
    expect(main).to_contain_text("The colleague's version of this section.")
    assert_accessible(editor)


def test_restoring_an_old_version_asks_first_then_fills_the_draft(editor):
    editor.goto("/trusts/northshire/induction/history/")
    restore = re.compile(r"^Restore into the draft\W+version 1$")
    editor.locator("#maincontent").get_by_role("link", name=restore).click()

    expect(editor).to_have_url(re.compile(r"/trusts/northshire/induction/v1/restore/$"))
    expect(editor.get_by_role("heading", level=1)).to_have_text("Restore version 1 into the draft?")
    assert_accessible(editor)
    editor.get_by_role("button", name="Restore version 1 into the draft").click()

    expect(editor).to_have_url(re.compile(r"/trusts/northshire/induction/edit/$"))
    expect(editor.locator("#maincontent")).to_contain_text("Copied version 1 into the draft")


def test_publish_page_explains_the_four_eyes_rule_to_the_last_editor(demo_site, page, sign_in):
    """Southmoor needs a second approver; its HR admin made the last edit, so may not publish."""
    sign_in(page, "southmoor-hr")

    response = page.goto("/trusts/southmoor/induction/publish/")

    assert response.status == 200
    main = page.locator("#maincontent")
    expect(main.get_by_role("heading", name="You cannot publish this draft")).to_be_visible()
    expect(main.get_by_role("button", name="Publish this version")).to_have_count(0)
    assert_accessible(page)


def test_a_national_update_is_offered_on_the_editor_with_what_changed(editor, django_db_blocker):
    """A correction of the national text reaches Northshire's draft as an offer: the notice on
    the editor, the change marked up, and the choice to adopt it or keep the trust's text."""
    from roles.models import Finding

    corrected = "Boards that share the agenda with their Medical Director get franker advice."
    with django_db_blocker.unblock():
        finding = Finding.objects.filter(kind="board_support").order_by("order").first()
        original = finding.text
        # Saved as `loaddata` or the admin would save it (a bulk update sends no signal, and
        # the national text is kept until a save says it changed).
        finding.text = corrected
        finding.save(update_fields=["text"])
    try:
        editor.goto(EDITOR)
        main = editor.locator("#maincontent")
        notice = main.locator(".nhsuk-warning-callout").filter(
            has_text="The national text has been updated since this draft was made"
        )
        expect(notice).to_be_visible()
        assert_accessible(editor)

        notice.get_by_role("link", name=re.compile("Working with the board")).click()
        expect(editor.get_by_role("heading", level=1)).to_contain_text("has been updated")
        expect(main.locator(".app-diff ins").first).to_be_visible()
        expect(main).to_contain_text("What adopting it would change in your draft")
        expect(main.locator("details.nhsuk-details")).to_have_count(1)
        assert_accessible(editor)

        main.get_by_role("button", name="Keep my text").click()
        expect(editor).to_have_url(re.compile(r"/induction/edit/$"))
        expect(main).to_contain_text("Kept your text of “Working with the board”")
        expect(notice).to_have_count(0)
    finally:
        with django_db_blocker.unblock():
            finding.text = original
            finding.save(update_fields=["text"])
