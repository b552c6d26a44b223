"""Editing the draft: edit conflicts, sections and their items, restore, compare."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from induction import services
from induction.baseline import create_pack_from_baseline
from induction.models import (
    AuditEvent,
    ChecklistItem,
    InductionPack,
    Membership,
    PostHolder,
    ResponsibilityOverlay,
    Section,
)
from roles.models import Responsibility

from .conftest import load_national_data


def section_of(pack, kind):
    return pack.sections.get(kind=kind)


# --- saving a section -----------------------------------------------------------------------


def test_save_section_bumps_the_revision_and_records_the_editor(pack, editor):
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor, expected_revision=1, title="Hello", body="Welcome."
    )
    section.refresh_from_db()
    pack.refresh_from_db()
    assert (section.title, section.body, section.revision) == ("Hello", "Welcome.", 2)
    assert section.updated_by == editor
    assert pack.last_edited_by == editor and pack.last_edited_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECTION_EDITED)
    assert (event.actor, event.detail) == (editor, "Edited “Hello”")


def test_a_second_editor_saving_a_stale_revision_gets_a_conflict_and_loses_nothing(
    pack, editor, second_editor
):
    first_view = pack.sections.get(order=1)
    second_view = pack.sections.get(order=1)
    services.save_section(
        section=first_view, user=editor, expected_revision=1, body="First editor's text."
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.save_section(
            section=second_view,
            user=second_editor,
            expected_revision=1,
            body="Second editor's text.",
        )
    assert conflict.value.section.body == "First editor's text."
    assert conflict.value.section.revision == 2
    assert "changed by someone else" in str(conflict.value)
    stored = Section.objects.get(pk=first_view.pk)
    assert stored.body == "First editor's text."
    # With the current revision, the second editor's save goes through.
    services.save_section(
        section=second_view,
        user=second_editor,
        expected_revision=2,
        body="Second editor's text.",
    )
    assert Section.objects.get(pk=first_view.pk).body == "Second editor's text."


def test_an_item_edit_makes_an_open_section_form_stale(pack, editor):
    people = section_of(pack, "people")
    services.add_post_holder(
        section=people, user=editor, name="Dr A", title="Chief Executive", relation="reports_to"
    )
    with pytest.raises(services.EditConflict):
        services.save_section(section=people, user=editor, expected_revision=1, body="x")


def test_invalid_markdown_changes_nothing(pack, editor):
    section = pack.sections.get(order=1)
    before = section.body
    with pytest.raises(ValidationError) as error:
        services.save_section(section=section, user=editor, expected_revision=1, body="bad\x00text")
    assert "body" in error.value.message_dict
    section.refresh_from_db()
    assert (section.body, section.revision) == (before, 1)
    assert not AuditEvent.objects.filter(action="section_edited").exists()


def test_an_empty_title_is_refused(pack, editor):
    with pytest.raises(ValidationError, match="Enter a title"):
        services.save_section(
            section=pack.sections.get(order=1), user=editor, expected_revision=1, title="  "
        )


@pytest.mark.parametrize("who", ["reader", "approver", "outsider", "anonymous"])
def test_only_editors_may_save(request, pack, who):
    user = request.getfixturevalue(who)
    section = pack.sections.get(order=1)
    with pytest.raises(PermissionDenied):
        services.save_section(section=section, user=user, expected_revision=1, body="x")
    assert Section.objects.get(pk=section.pk).revision == 1


def test_save_section_updates_overlays_in_one_revision(pack, editor):
    section = section_of(pack, "responsibilities")
    ro = section.overlays.get(responsibility__slug="responsible-officer")
    services.save_section(
        section=section,
        user=editor,
        expected_revision=1,
        overlays={
            ro.pk: {
                "status": "delegated",
                "delegated_to": "Deputy Medical Director",
                "note": "Since **2024**.",
            }
        },
    )
    ro.refresh_from_db()
    section.refresh_from_db()
    assert (ro.status, ro.delegated_to, ro.note) == (
        "delegated",
        "Deputy Medical Director",
        "Since **2024**.",
    )
    assert section.revision == 2


def test_delegating_without_naming_the_post_is_refused(pack, editor):
    section = section_of(pack, "responsibilities")
    overlay = section.overlays.first()
    with pytest.raises(ValidationError) as error:
        services.save_section(
            section=section,
            user=editor,
            expected_revision=1,
            overlays={overlay.pk: {"status": "delegated", "delegated_to": ""}},
        )
    assert "Enter the post" in str(error.value)
    overlay.refresh_from_db()
    assert overlay.status == "held"


def test_save_section_replaces_post_holders_and_checklist(pack, editor):
    people = section_of(pack, "people")
    services.save_section(
        section=people,
        user=editor,
        expected_revision=1,
        post_holders=[
            {
                "name": "Dr Helen Price",
                "title": "Chief Executive",
                "relation": "reports_to",
                "contact": "helen.price@example.nhs.uk",
            },
            {"name": "Sam Okafor", "title": "Director of Nursing", "relation": "works_with"},
        ],
    )
    assert list(people.post_holders.values_list("name", "order")) == [
        ("Dr Helen Price", 1),
        ("Sam Okafor", 2),
    ]
    checklist = section_of(pack, "checklist")
    services.save_section(
        section=checklist,
        user=editor,
        expected_revision=1,
        checklist=[{"category": "read", "text": "Read the quality account", "due_by_day": 30}],
    )
    assert list(checklist.checklist.values_list("text", flat=True)) == ["Read the quality account"]


def test_a_bad_post_holder_changes_nothing(pack, editor):
    people = section_of(pack, "people")
    with pytest.raises(ValidationError):
        services.save_section(
            section=people,
            user=editor,
            expected_revision=1,
            post_holders=[{"name": "", "title": "Chief Executive", "relation": "boss"}],
        )
    people.refresh_from_db()
    assert people.revision == 1


def test_concurrent_saves_of_the_same_revision_let_exactly_one_through(pack, editor, second_editor):
    """The conditional UPDATE is the check: run the two saves one after the other from the
    same starting revision, as two requests would."""
    section = pack.sections.get(order=1)
    outcomes = []
    for user, body in [(editor, "from editor"), (second_editor, "from second editor")]:
        try:
            services.save_section(
                section=Section.objects.get(pk=section.pk),
                user=user,
                expected_revision=1,
                body=body,
            )
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
    assert outcomes == ["saved", "conflict"]
    assert Section.objects.get(pk=section.pk).body == "from editor"


def _save_in_thread(section_id, user, body, barrier, outcomes):
    try:
        section = Section.objects.select_related("pack__trust").get(pk=section_id)
        barrier.wait(timeout=10)
        services.save_section(section=section, user=user, expected_revision=1, body=body)
        outcomes.append(("saved", body))
    except services.EditConflict as conflict:
        outcomes.append(("conflict", conflict.section.body))
    except Exception as error:  # reported to the main thread below
        outcomes.append(("error", repr(error)))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_the_same_moment_one_is_told_of_the_conflict(
    trust, editor, second_editor
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; run on PostgreSQL for real concurrency.")
    load_national_data()
    pack = create_pack_from_baseline(trust=trust)
    section = pack.sections.get(order=1)
    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(
            target=_save_in_thread, args=(section.pk, user, f"text of {user}", barrier, outcomes)
        )
        for user in (editor, second_editor)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["conflict", "saved"], outcomes
    saved_body = next(body for kind, body in outcomes if kind == "saved")
    conflict_saw = next(body for kind, body in outcomes if kind == "conflict")
    assert Section.objects.get(pk=section.pk).body == saved_body == conflict_saw


# --- sections -------------------------------------------------------------------------------


def test_add_section_at_the_end_and_at_a_position(pack, editor):
    last = services.add_section(pack=pack, user=editor, title="Parking", body="Staff car park.")
    assert last.order == 11
    first = services.add_section(pack=pack, user=editor, title="At a glance", position=1)
    assert [s.title for s in pack.sections.all()][:2] == ["At a glance", "Welcome"]
    assert first.order == 1
    assert list(pack.sections.values_list("order", flat=True)) == list(range(1, 13))
    assert AuditEvent.objects.filter(action="section_added").count() == 2


def test_adding_a_responsibilities_section_fills_in_the_national_list(pack, editor):
    section = services.add_section(
        pack=pack, user=editor, title="Deputy's duties", kind="responsibilities"
    )
    assert section.overlays.count() == Responsibility.objects.filter(role=pack.board_role).count()


def test_add_section_refuses_an_unknown_kind(pack, editor):
    with pytest.raises(ValidationError):
        services.add_section(pack=pack, user=editor, title="X", kind="video")


def test_remove_section_renumbers_the_rest(pack, editor):
    services.remove_section(section=pack.sections.get(order=2), user=editor)
    assert list(pack.sections.values_list("order", flat=True)) == list(range(1, 10))
    assert AuditEvent.objects.filter(action="section_removed").exists()


def test_remove_section_with_a_stale_revision_is_a_conflict(pack, editor):
    section = pack.sections.get(order=1)
    services.save_section(section=section, user=editor, expected_revision=1, body="x")
    with pytest.raises(services.EditConflict):
        services.remove_section(section=section, user=editor, expected_revision=1)
    assert Section.objects.filter(pk=section.pk).exists()


def test_move_section_up_and_down_and_not_past_the_ends(pack, editor):
    welcome = pack.sections.get(order=1)
    services.move_section(section=welcome, user=editor, direction="down")
    assert [s.title for s in pack.sections.all()][1] == "Welcome"
    services.move_section(section=welcome, user=editor, direction="up")
    services.move_section(section=welcome, user=editor, direction="up")
    assert pack.sections.first().title == "Welcome"


def test_reorder_sections_needs_every_section_once(pack, editor):
    ids = list(pack.sections.values_list("pk", flat=True))
    services.reorder_sections(pack=pack, user=editor, section_ids=list(reversed(ids)))
    assert pack.sections.first().kind == "glossary"
    with pytest.raises(ValidationError, match="changed while you were reordering"):
        services.reorder_sections(pack=pack, user=editor, section_ids=ids[:3])


# --- items ----------------------------------------------------------------------------------


def test_overlay_edits(pack, editor):
    overlay = section_of(pack, "responsibilities").overlays.first()
    services.save_overlay(overlay=overlay, user=editor, status="not_applicable", note="No.")
    overlay.refresh_from_db()
    assert (overlay.status, overlay.delegated_to, overlay.note) == ("not_applicable", "", "No.")
    with pytest.raises(ValidationError):
        services.save_overlay(overlay=overlay, user=editor, status="delegated")


def test_post_holder_add_change_remove(pack, editor):
    people = section_of(pack, "people")
    holder = services.add_post_holder(
        section=people,
        user=editor,
        name="Dr Ruth Mensah",
        title="Chair",
        relation=PostHolder.Relation.WORKS_WITH,
        contact="chair@example.nhs.uk",
    )
    services.save_post_holder(post_holder=holder, user=editor, name="Dame Ruth Mensah")
    assert PostHolder.objects.get(pk=holder.pk).name == "Dame Ruth Mensah"
    with pytest.raises(ValidationError):
        services.save_post_holder(post_holder=holder, user=editor, relation="friend")
    services.remove_post_holder(post_holder=PostHolder.objects.get(pk=holder.pk), user=editor)
    assert not people.post_holders.exists()
    assert AuditEvent.objects.filter(action="section_edited").count() == 3


def test_checklist_item_add_change_remove(pack, editor):
    checklist = section_of(pack, "checklist")
    before = checklist.checklist.count()
    item = services.add_checklist_item(
        section=checklist,
        user=editor,
        category="meet",
        text="Meet the Guardian of Safe Working Hours",
        due_by_day=60,
    )
    services.save_checklist_item(item=item, user=editor, due_by_day=30)
    assert ChecklistItem.objects.get(pk=item.pk).due_by_day == 30
    with pytest.raises(ValidationError):
        services.save_checklist_item(item=item, user=editor, due_by_day=45)
    services.remove_checklist_item(item=ChecklistItem.objects.get(pk=item.pk), user=editor)
    assert checklist.checklist.count() == before


def test_item_edits_need_an_editor(pack, reader):
    with pytest.raises(PermissionDenied):
        services.add_checklist_item(
            section=section_of(pack, "checklist"),
            user=reader,
            category="meet",
            text="x",
            due_by_day=7,
        )


# --- settings -------------------------------------------------------------------------------


def test_update_pack_settings_records_what_changed(pack, editor_approver):
    services.update_pack_settings(
        pack=pack,
        user=editor_approver,
        visibility="public",
        requires_approval=True,
        review_interval_months=6,
    )
    pack.refresh_from_db()
    assert (pack.visibility, pack.requires_approval, pack.review_interval_months) == (
        "public",
        True,
        6,
    )
    event = AuditEvent.objects.get(action="settings_changed")
    assert "visibility" in event.detail and "review interval months" in event.detail


def test_an_editor_alone_cannot_turn_off_the_approval_rule(pack, editor):
    pack.requires_approval = True
    pack.save()
    with pytest.raises(PermissionDenied, match="Only an approver"):
        services.update_pack_settings(pack=pack, user=editor, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval


def test_the_last_editor_cannot_turn_off_the_approval_rule_even_as_an_approver(
    pack, editor_approver
):
    services.update_pack_settings(pack=pack, user=editor_approver, requires_approval=True)
    services.update_pack_settings(pack=pack, user=editor_approver, title="Edited by me")
    events_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="Another approver must turn off approval"):
        services.update_pack_settings(
            pack=pack, user=editor_approver, requires_approval=False, title="Sneaked in"
        )
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.requires_approval, stored.title) == (True, "Edited by me")
    assert stored.can_publish(editor_approver) is False
    assert AuditEvent.objects.count() == events_before


def test_an_approver_who_did_not_edit_last_can_turn_off_the_approval_rule(
    pack, editor, make_user, trust
):
    roles = [Membership.Role.EDITOR, Membership.Role.APPROVER]
    other = make_user("other-hr", trust=trust, roles=roles)
    pack.requires_approval = True
    pack.save()
    services.update_pack_settings(pack=pack, user=editor, title="Edited by the editor")
    services.update_pack_settings(pack=pack, user=other, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is False


def test_platform_staff_can_turn_off_the_approval_rule_after_editing(pack, staff):
    pack.requires_approval = True
    pack.save()
    services.update_pack_settings(pack=pack, user=staff, title="Edited by staff")
    services.update_pack_settings(pack=pack, user=staff, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is False


def test_a_review_interval_out_of_range_is_refused(pack, editor):
    with pytest.raises(ValidationError):
        services.update_pack_settings(pack=pack, user=editor, review_interval_months=0)
    with pytest.raises(ValidationError):
        services.update_pack_settings(pack=pack, user=editor, review_interval_months=48)


def test_changing_the_title_counts_as_an_edit_of_the_draft(published, editor):
    pack = published.pack
    services.update_pack_settings(pack=pack, user=editor, title="Our MD handbook")
    assert InductionPack.objects.get(pk=pack.pk).status == "live_with_changes"


# --- restore and compare --------------------------------------------------------------------


def test_restore_version_copies_its_content_into_the_draft(published, editor, editor_approver):
    pack = published.pack
    welcome = pack.sections.get(order=1)
    services.save_section(section=welcome, user=editor, expected_revision=1, body="Changed.")
    services.remove_section(section=pack.sections.get(order=2), user=editor)
    services.restore_version(version=published, user=editor)
    second = pack.publish(user=editor_approver)
    assert second.content["sections"] == published.content["sections"]
    event = AuditEvent.objects.get(action="restored")
    assert (event.version, event.detail) == (published, "Restored version 1 into the draft")


def test_restore_keeps_local_choices(published, editor, editor_approver):
    pack = published.pack
    section = section_of(pack, "responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    services.save_overlay(
        overlay=overlay, user=editor, status="delegated", delegated_to="Deputy Medical Director"
    )
    second = pack.publish(user=editor_approver)
    services.restore_version(version=published, user=editor)
    assert (
        section_of(pack, "responsibilities")
        .overlays.get(responsibility__slug="responsible-officer")
        .status
        == "held"
    )
    services.restore_version(version=second, user=editor)
    assert (
        ResponsibilityOverlay.objects.get(
            section__pack=pack, responsibility__slug="responsible-officer"
        ).delegated_to
        == "Deputy Medical Director"
    )


def test_compare_versions_marks_changed_text_section_by_section(published, editor, editor_approver):
    pack = published.pack
    welcome = pack.sections.get(order=1)
    services.save_section(
        section=welcome,
        user=editor,
        expected_revision=1,
        body=welcome.body.replace("Welcome to", "A warm welcome to") + "\n\n<b>new</b>",
    )
    services.remove_section(
        section=pack.sections.get(title="Key documents and contacts"), user=editor
    )
    services.add_section(pack=pack, user=editor, title="Parking", body="Car park B.")
    second = pack.publish(user=editor_approver)
    diffs = services.compare_versions(published, second)
    by_title = {d.title: d for d in diffs}
    assert by_title["Welcome"].status == "changed"
    assert "<ins>A warm welcome</ins>" in by_title["Welcome"].html
    assert "<del>Welcome</del>" in by_title["Welcome"].html
    assert "&lt;b&gt;new&lt;/b&gt;" in by_title["Welcome"].html  # escaped, not markup
    assert by_title["Key documents and contacts"].status == "removed"
    assert by_title["Parking"].status == "added"
    assert by_title["Glossary"].status == "unchanged"
    assert not by_title["Glossary"].changed


def test_compare_shows_a_renamed_section_as_changed(published, editor, editor_approver):
    pack = published.pack
    services.save_section(
        section=pack.sections.get(order=1), user=editor, expected_revision=1, title="Hello"
    )
    second = pack.publish(user=editor_approver)
    diff = services.compare_versions(published, second)[0]
    assert (diff.old_title, diff.new_title, diff.status) == ("Welcome", "Hello", "changed")


def test_restore_survives_a_change_in_the_national_list(published, editor):
    gone = Responsibility.objects.get(role=published.pack.board_role, slug="education")
    ResponsibilityOverlay.objects.filter(responsibility=gone).delete()
    gone.delete()
    services.restore_version(version=published, user=editor)
    slugs = set(
        ResponsibilityOverlay.objects.filter(section__pack=published.pack).values_list(
            "responsibility__slug", flat=True
        )
    )
    assert "education" not in slugs and "clinical-strategy" in slugs
