"""The pack editor: sections, their content with preview, conflicts, order, removal, settings."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from induction import services
from induction.models import AuditEvent, InductionPack, Section

from .conftest import edit_draft
from .ui_helpers import hidden_value, page, section_post_data


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def section_of(pack, kind):
    return pack.sections.filter(kind=kind).first()


def edit_url(section):
    return page("section_edit", section.pack, section_id=section.pk)


def test_editor_overview_lists_sections_with_their_actions(signed_in, pack):
    html = signed_in.get(page("pack_edit", pack)).content.decode()
    assert "Edit the induction pack" in html
    assert "Not published yet" in html
    for section in pack.sections.all():
        assert f'href="{edit_url(section)}"' in html
        assert f'href="{page("section_remove", pack, section_id=section.pk)}"' in html
    assert 'name="direction" value="up"' in html and 'name="direction" value="down"' in html
    assert f'href="{page("section_add", pack)}"' in html


def test_overview_shows_unpublished_changes_after_an_edit(signed_in, pack, published, editor):
    section = section_of(pack, Section.Kind.MARKDOWN)
    services.save_section(
        section=section, user=editor, expected_revision=section.revision, body="New welcome."
    )
    html = signed_in.get(page("pack_edit", pack)).content.decode()
    assert "The draft has changed since version 1 was published" in html


def test_adding_a_section_puts_it_at_the_end_and_opens_it(signed_in, pack):
    count = pack.sections.count()
    response = signed_in.post(
        page("section_add", pack), {"title": "Car parking", "kind": Section.Kind.MARKDOWN}
    )
    added = pack.sections.get(title="Car parking")
    assert response.status_code == 302
    assert response["Location"] == edit_url(added)
    assert added.order == count + 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SECTION_ADDED).exists()


def test_adding_a_section_without_a_title_says_what_to_do(signed_in, pack):
    count = pack.sections.count()
    response = signed_in.post(page("section_add", pack), {"title": "", "kind": "markdown"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_title">Enter a title for the section</a>' in html
    assert pack.sections.count() == count


def test_saving_a_markdown_section_changes_its_text(signed_in, pack):
    section = section_of(pack, Section.Kind.MARKDOWN)
    response = signed_in.post(
        edit_url(section), section_post_data(section, body="## Parking\n\nUse car park B.")
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "## Parking\n\nUse car park B."
    assert section.revision == 2


def test_preview_shows_sanitised_html_and_saves_nothing(signed_in, pack):
    section = section_of(pack, Section.Kind.MARKDOWN)
    before = section.body
    hostile = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    response = signed_in.post(
        edit_url(section), section_post_data(section, body=hostile, preview="preview")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved yet)" in html
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
    section.refresh_from_db()
    assert section.body == before


def test_oversized_markdown_gets_a_clear_error_and_saves_nothing(signed_in, pack):
    section = section_of(pack, Section.Kind.MARKDOWN)
    before = section.body
    response = signed_in.post(edit_url(section), section_post_data(section, body="a" * 50_001))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Shorten it to 50,000 characters" in html
    assert 'href="#id_body"' in html
    section.refresh_from_db()
    assert section.body == before


def test_second_editor_is_told_of_the_conflict_and_loses_nothing(signed_in, pack, second_editor):
    section = section_of(pack, Section.Kind.MARKDOWN)
    started_from = section_post_data(section)
    services.save_section(
        section=section,
        user=second_editor,
        expected_revision=section.revision,
        body="Their text, saved first.",
    )
    response = signed_in.post(edit_url(section), {**started_from, "body": "My own careful text."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This section changed while you were editing it. second-editor saved it at" in html
    assert "Your text is below; copy what you need, then reload" in html
    assert "My own careful text." in html
    assert "Their text, saved first." in html
    section.refresh_from_db()
    assert section.body == "Their text, saved first."


def test_responsibility_overlay_can_be_delegated_to_a_named_post(signed_in, pack):
    section = section_of(pack, Section.Kind.RESPONSIBILITIES)
    data = section_post_data(section)
    data["overlays-0-status"] = "delegated"
    data["overlays-0-delegated_to"] = "Director of Nursing"
    response = signed_in.post(edit_url(section), data)
    assert response.status_code == 302
    overlay = section.overlays.get(pk=data["overlays-0-overlay"])
    assert (overlay.status, overlay.delegated_to) == ("delegated", "Director of Nursing")


def test_delegating_without_naming_the_post_says_what_to_do(signed_in, pack):
    section = section_of(pack, Section.Kind.RESPONSIBILITIES)
    data = section_post_data(section)
    data["overlays-0-status"] = "delegated"
    response = signed_in.post(edit_url(section), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_overlays-0-delegated_to">Enter the post this responsibility' in html
    assert not section.overlays.filter(status="delegated").exists()


def test_people_can_be_added_and_removed(signed_in, pack):
    section = section_of(pack, Section.Kind.PEOPLE)
    before = section.post_holders.count()
    data = section_post_data(section)
    data.update(
        {
            f"people-{before}-name": "Dr Asha Patel",
            f"people-{before}-title": "Chief Executive",
            f"people-{before}-relation": "reports_to",
            f"people-{before}-contact": "asha.patel@nhs.net",
        }
    )
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert section.post_holders.filter(name="Dr Asha Patel").exists()
    section.refresh_from_db()
    data = section_post_data(section)
    index = list(section.post_holders.values_list("name", flat=True)).index("Dr Asha Patel")
    data[f"people-{index}-DELETE"] = "on"
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert not section.post_holders.filter(name="Dr Asha Patel").exists()
    assert section.post_holders.count() == before


def test_checklist_step_needs_a_category(signed_in, pack):
    section = section_of(pack, Section.Kind.CHECKLIST)
    count = section.checklist.count()
    data = section_post_data(section)
    data[f"checklist-{count}-text"] = "Meet the Guardian of Safe Working"
    html = signed_in.post(edit_url(section), data).content.decode()
    assert "Choose what kind of step it is" in html
    data[f"checklist-{count}-category"] = "meet"
    assert signed_in.post(edit_url(section), data).status_code == 302
    assert section.checklist.filter(text="Meet the Guardian of Safe Working").exists()


def test_moving_a_section_down_swaps_it_with_the_next(signed_in, pack):
    first, second = list(pack.sections.all())[:2]
    response = signed_in.post(
        page("section_move", pack, section_id=first.pk), {"direction": "down"}
    )
    assert response.status_code == 302
    assert list(pack.sections.all())[:2] == [second, first]


def test_moving_needs_post(signed_in, pack):
    section = pack.sections.first()
    assert signed_in.get(page("section_move", pack, section_id=section.pk)).status_code == 405


def test_removing_asks_first_then_removes(signed_in, pack):
    section = section_of(pack, Section.Kind.MARKDOWN)
    url = page("section_remove", pack, section_id=section.pk)
    html = signed_in.get(url).content.decode()
    assert f"Remove “{section.title}” from the draft?" in html
    assert pack.sections.filter(pk=section.pk).exists()
    assert signed_in.post(url, {"revision": hidden_value(html, "revision")}).status_code == 302
    assert not pack.sections.filter(pk=section.pk).exists()


def test_a_removal_confirmed_after_someone_saved_the_section_keeps_it(
    signed_in, pack, second_editor
):
    section = section_of(pack, Section.Kind.MARKDOWN)
    url = page("section_remove", pack, section_id=section.pk)
    asked = hidden_value(signed_in.get(url).content.decode(), "revision")
    services.save_section(
        section=section, user=second_editor, expected_revision=section.revision,
        body="Newer text, saved while the editor was deciding.",
    )  # fmt: skip

    response = signed_in.post(url, {"revision": asked}, follow=True)

    assert "changed while you were deciding, so it was not removed" in response.content.decode()
    assert pack.sections.get(pk=section.pk).body == (
        "Newer text, saved while the editor was deciding."
    )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SECTION_REMOVED).exists()


def settings_form_data(client, pack, **changes):
    """The settings form as the page renders it (current values and hidden revision), with
    `changes` made by the person filling it in."""
    form = client.get(page("pack_settings", pack)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    if not data["requires_approval"]:
        del data["requires_approval"]
    data.update(changes)
    return data


def test_settings_change_visibility_and_review_interval(signed_in, pack):
    data = settings_form_data(signed_in, pack, visibility="public", review_interval_months="6")
    assert signed_in.post(page("pack_settings", pack), data).status_code == 302
    pack.refresh_from_db()
    assert pack.visibility == InductionPack.Visibility.PUBLIC
    assert pack.review_interval_months == 6


def test_settings_form_carries_the_settings_revision(signed_in, pack):
    html = signed_in.get(page("pack_settings", pack)).content.decode()
    assert hidden_value(html, "revision") == "1"


def test_settings_refuse_an_out_of_range_review_interval(signed_in, pack):
    data = settings_form_data(signed_in, pack, review_interval_months="99")
    html = signed_in.post(page("pack_settings", pack), data).content.decode()
    assert "Enter a review interval of 36 months or fewer" in html
    pack.refresh_from_db()
    assert pack.review_interval_months == 12


def test_a_settings_form_opened_before_a_colleague_s_change_saves_nothing(
    signed_in, pack, second_editor
):
    """Saving an old form with only a new title must not make a members-only pack public
    again, nor save the title: both sides are shown and the editor decides."""
    services.update_pack_settings(
        pack=pack, user=second_editor, expected_revision=pack.settings_revision,
        visibility="public",
    )  # fmt: skip
    data = settings_form_data(signed_in, pack, title="A new title")
    pack.refresh_from_db()
    services.update_pack_settings(
        pack=pack, user=second_editor, expected_revision=pack.settings_revision,
        visibility="members",
    )  # fmt: skip
    events = AuditEvent.objects.count()

    response = signed_in.post(page("pack_settings", pack), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The settings changed while you were editing them. second-editor saved them at" in html
    assert "A new title" in html
    pack.refresh_from_db()
    assert pack.visibility == InductionPack.Visibility.MEMBERS
    assert pack.title == "Medical Director induction pack"
    assert AuditEvent.objects.count() == events
    assert hidden_value(html, "revision") == "3"


def test_editor_alone_cannot_turn_off_approval(client, pack, editor):
    pack.requires_approval = True
    pack.save()
    client.force_login(editor)
    data = settings_form_data(client, pack)
    del data["requires_approval"]
    html = client.post(page("pack_settings", pack), data).content.decode()
    assert "Only an approver can turn off approval by a second person." in html
    pack.refresh_from_db()
    assert pack.requires_approval


@pytest.mark.parametrize("person", ["editor_approver", "staff_approver"])
def test_an_editor_of_the_draft_sees_why_they_cannot_turn_off_approval(request, client, pack,
                                                                       person):  # fmt: skip
    """Platform staff are bound too: the rule is about two people, not about rank."""
    user = request.getfixturevalue(person)
    services.update_pack_settings(
        pack=pack, user=user, expected_revision=pack.settings_revision, requires_approval=True
    )
    edit_draft(pack, user)
    client.force_login(user)
    data = settings_form_data(client, pack)
    del data["requires_approval"]
    response = client.post(page("pack_settings", pack), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["requires_approval"]
    assert errors == [
        "Another approver must turn off approval by a second person, because you have "
        "edited this draft since the last version was published."
    ]
    assert "because you have edited this draft since the last version was published" in (
        unescape(response.content.decode())
    )
    pack.refresh_from_db()
    assert pack.requires_approval


def test_draft_preview_shows_the_whole_draft(signed_in, pack):
    html = signed_in.get(page("draft_preview", pack)).content.decode()
    for section in pack.sections.all():
        assert section.title in html


def test_section_of_another_trust_is_a_404_under_this_trust(signed_in, pack, other_pack):
    foreign = other_pack.sections.first()
    for name in ("section_edit", "section_remove"):
        assert signed_in.get(page(name, pack, section_id=foreign.pk)).status_code == 404
    move = page("section_move", pack, section_id=foreign.pk)
    response = signed_in.post(move, {"direction": "up"})
    assert response.status_code == 404


# The overview works out the national text now (ten queries, however large the pack), to tell
# editors when it has moved on since the draft was made (induction/baseline.py), and reads the
# newest request for approval (one query).
@pytest.mark.parametrize(
    "name, budget",
    [("pack_edit", 18), ("pack_settings", 8), ("section_add", 8), ("draft_preview", 16)],
)
def test_editor_pages_keep_to_a_query_budget(
    signed_in, pack, name, budget, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget):
        assert signed_in.get(page(name, pack)).status_code == 200


@pytest.mark.parametrize("kind", [kind for kind, _ in Section.Kind.choices])
def test_section_edit_page_keeps_to_a_query_budget(
    signed_in, pack, kind, django_assert_max_num_queries
):
    section = section_of(pack, kind)
    with django_assert_max_num_queries(10):
        assert signed_in.get(edit_url(section)).status_code == 200


@pytest.mark.parametrize(
    "kind", [Section.Kind.RESPONSIBILITIES, Section.Kind.PEOPLE, Section.Kind.CHECKLIST,
             Section.Kind.GLOSSARY],
)  # fmt: skip
def test_preview_of_a_structured_section_shows_its_list_and_saves_nothing(signed_in, pack, kind):
    section = section_of(pack, kind)
    revision = section.revision
    data = section_post_data(section, title="Previewed title", preview="preview")
    html = signed_in.post(edit_url(section), data).content.decode()
    assert "Preview (not saved yet)" in html
    assert "Previewed title" in html
    section.refresh_from_db()
    assert section.title != "Previewed title"
    assert section.revision == revision


def test_remove_confirmation_keeps_to_a_query_budget(
    signed_in, pack, django_assert_max_num_queries
):
    section = pack.sections.first()
    with django_assert_max_num_queries(8):
        assert signed_in.get(page("section_remove", pack, section_id=section.pk)).status_code == 200


@pytest.mark.parametrize("name", ["pack_edit", "draft_preview", "publish"])
def test_editor_page_queries_do_not_grow_with_the_number_of_sections(signed_in, pack, name):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(page(name, pack)).status_code == 200
        return len(captured)

    before = queries()
    last = pack.sections.order_by("-order").first().order
    Section.objects.bulk_create(
        Section(pack=pack, title=f"Extra {n}", body="Local text.", order=last + n)
        for n in range(1, 26)
    )
    assert queries() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("overlays-TOTAL_FORMS", "40"),
        ("overlays-TOTAL_FORMS", "-1"),
        ("overlays-TOTAL_FORMS", "lots"),
        ("overlays-INITIAL_FORMS", "not a number"),
        ("overlays-0-overlay", "999999"),
        ("overlays-0-overlay", "x"),
    ],
)
@pytest.mark.parametrize("button", ["save", "preview"])
def test_a_tampered_responsibilities_form_is_a_400_page_and_saves_nothing(
    signed_in, pack, field, value, button
):
    section = section_of(pack, Section.Kind.RESPONSIBILITIES)
    before = list(section.overlays.values_list("pk", "status", "delegated_to", "note"))
    data = section_post_data(section, **{field: value})
    data[button] = "1"
    response = signed_in.post(edit_url(section), data)
    assert response.status_code == 400
    assert "Nothing has been saved" in response.content.decode()
    section.refresh_from_db()
    assert list(section.overlays.values_list("pk", "status", "delegated_to", "note")) == before
    assert section.revision == 1


def test_the_section_preview_cites_its_sources_as_the_published_pack_does(
    signed_in, pack, editor_approver
):
    """The preview is frozen by the same `section_snapshot` as publishing: a responsibilities
    section previews with the "Sources:" lines its published version shows."""
    section = section_of(pack, Section.Kind.RESPONSIBILITIES)
    data = section_post_data(section, preview="preview")
    preview = signed_in.post(edit_url(section), data).content.decode()
    version = pack.publish(user=editor_approver)

    def sources(html):
        return re.findall(r'<p class="app-citation[^"]*">(Sources?: [^<]*)</p>', html)

    assert sources(preview)
    assert sources(preview) == sources(version.rendered_html)
