"""Editing the draft: edit conflicts, sections and the lists within them, settings, restore."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from induction import services
from induction.baseline import create_pack_from_baseline
from induction.models import (
    AuditEvent,
    InductionPack,
    Membership,
    ResponsibilityOverlay,
    Section,
)
from induction.snapshot import snapshot_draft
from roles.models import Responsibility

from .conftest import load_national_data


def section_of(pack, kind):
    return pack.sections.get(kind=kind)


def change_settings(pack, user, **changes):
    """`update_pack_settings` from a settings form opened just now."""
    revision = InductionPack.objects.get(pk=pack.pk).settings_revision
    return services.update_pack_settings(
        pack=pack, user=user, expected_revision=revision, **changes
    )


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
    assert "“Welcome” was changed while you were editing it" in str(conflict.value)
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


def test_a_list_edit_makes_an_open_section_form_stale(pack, editor, second_editor):
    people = section_of(pack, "people")
    services.save_section(
        section=people,
        user=second_editor,
        expected_revision=1,
        post_holders=[{"name": "Dr A", "title": "Chief Executive", "relation": "reports_to"}],
    )
    with pytest.raises(services.EditConflict):
        services.save_section(section=people, user=editor, expected_revision=1, body="x")
    people.refresh_from_db()
    assert people.body != "x"
    assert list(people.post_holders.values_list("name", flat=True)) == ["Dr A"]


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
    section = pack.sections.get(order=2)
    services.remove_section(section=section, user=editor, expected_revision=1)
    assert not Section.objects.filter(pk=section.pk).exists()
    assert list(pack.sections.values_list("order", flat=True)) == list(range(1, 10))
    event = AuditEvent.objects.get(action="section_removed")
    assert event.detail == "Removed “About Testshire Hospitals NHS Foundation Trust”"


def test_remove_section_with_a_stale_revision_is_a_conflict_and_keeps_the_newer_edit(
    pack, editor, second_editor
):
    asked_to_confirm = pack.sections.get(order=1)  # the editor opens "remove this section?"
    services.save_section(
        section=pack.sections.get(order=1),
        user=second_editor,
        expected_revision=1,
        body="The colleague's newer text.",
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.remove_section(section=asked_to_confirm, user=editor, expected_revision=1)
    assert conflict.value.section.body == "The colleague's newer text."
    assert Section.objects.get(pk=asked_to_confirm.pk).body == "The colleague's newer text."
    assert not AuditEvent.objects.filter(action="section_removed").exists()


def test_removing_a_section_someone_else_removed_first_does_nothing(pack, editor, second_editor):
    section = pack.sections.get(order=2)
    services.remove_section(section=section, user=second_editor, expected_revision=1)
    services.remove_section(section=section, user=editor, expected_revision=1)
    assert list(pack.sections.values_list("order", flat=True)) == list(range(1, 10))
    assert list(
        AuditEvent.objects.filter(action="section_removed").values_list("actor", flat=True)
    ) == [second_editor.pk]


def test_move_section_up_and_down_and_not_past_the_ends(pack, editor):
    welcome = pack.sections.get(order=1)
    services.move_section(section=welcome, user=editor, direction="down")
    assert [s.title for s in pack.sections.all()][1] == "Welcome"
    services.move_section(section=welcome, user=editor, direction="up")
    services.move_section(section=welcome, user=editor, direction="up")
    assert pack.sections.first().title == "Welcome"


# --- the lists within a section -------------------------------------------------------------


def test_a_responsibility_that_is_not_delegated_keeps_no_post(pack, editor):
    section = section_of(pack, "responsibilities")
    overlay = section.overlays.first()
    services.save_section(
        section=section,
        user=editor,
        expected_revision=1,
        overlays={
            overlay.pk: {"status": "not_applicable", "delegated_to": "Someone", "note": "No."}
        },
    )
    overlay.refresh_from_db()
    assert (overlay.status, overlay.delegated_to, overlay.note) == ("not_applicable", "", "No.")


def test_an_overlay_of_another_section_is_refused(pack, other_pack, editor):
    section = section_of(pack, "responsibilities")
    elsewhere = section_of(other_pack, "responsibilities").overlays.first()
    with pytest.raises(ValidationError, match="not part of this section"):
        services.save_section(
            section=section,
            user=editor,
            expected_revision=1,
            overlays={elsewhere.pk: {"status": "not_applicable"}},
        )
    elsewhere.refresh_from_db()
    assert elsewhere.status == "held"


def test_saving_an_empty_list_removes_every_post_holder(pack, editor):
    people = section_of(pack, "people")
    chair = {"name": "Dr Ruth Mensah", "title": "Chair", "relation": "works_with"}
    services.save_section(section=people, user=editor, expected_revision=1, post_holders=[chair])
    services.save_section(
        section=people,
        user=editor,
        expected_revision=2,
        post_holders=[{**chair, "name": "Dame Ruth Mensah"}],
    )
    assert list(people.post_holders.values_list("name", flat=True)) == ["Dame Ruth Mensah"]
    services.save_section(section=people, user=editor, expected_revision=3, post_holders=[])
    assert not people.post_holders.exists()
    assert AuditEvent.objects.filter(action="section_edited").count() == 3


def test_a_checklist_step_with_an_unknown_timing_changes_nothing(pack, editor):
    checklist = section_of(pack, "checklist")
    before = list(checklist.checklist.values_list("text", "due_by_day"))
    with pytest.raises(ValidationError) as error:
        services.save_section(
            section=checklist,
            user=editor,
            expected_revision=1,
            checklist=[{"category": "meet", "text": "Meet the Guardian", "due_by_day": 45}],
        )
    assert "item-1" in error.value.message_dict
    assert list(checklist.checklist.values_list("text", "due_by_day")) == before
    checklist.refresh_from_db()
    assert checklist.revision == 1


def test_only_editors_may_change_a_list(pack, reader):
    checklist = section_of(pack, "checklist")
    before = checklist.checklist.count()
    with pytest.raises(PermissionDenied):
        services.save_section(
            section=checklist,
            user=reader,
            expected_revision=1,
            checklist=[{"category": "meet", "text": "x", "due_by_day": 7}],
        )
    assert checklist.checklist.count() == before


# --- settings -------------------------------------------------------------------------------


def test_update_pack_settings_records_what_changed_in_words(pack, editor_approver):
    services.update_pack_settings(
        pack=pack,
        user=editor_approver,
        expected_revision=1,
        visibility="public",
        requires_approval=True,
        review_interval_months=6,
    )
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.visibility, stored.requires_approval, stored.review_interval_months) == (
        "public",
        True,
        6,
    )
    assert stored.settings_revision == 2
    event = AuditEvent.objects.get(action="settings_changed")
    assert event.detail == (
        "Changed who can read it: Public; approval by a second person: on; "
        "review interval: 6 months"
    )
    assert not event.changes_draft


def test_a_stale_settings_form_is_a_conflict_and_saves_nothing(pack, editor, second_editor):
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    opened_at = InductionPack.objects.get(pk=pack.pk).settings_revision  # editor opens the form
    services.update_pack_settings(
        pack=pack, user=second_editor, expected_revision=opened_at, visibility="members"
    )
    with pytest.raises(services.SettingsConflict) as conflict:
        services.update_pack_settings(
            pack=pack, user=editor, expected_revision=opened_at, title="Our MD handbook"
        )
    assert conflict.value.pack.visibility == "members"
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.title, stored.visibility) == ("Medical Director induction pack", "members")
    assert not AuditEvent.objects.filter(action="title_changed").exists()


def test_changing_one_setting_leaves_a_colleague_s_change_of_another(pack, editor, second_editor):
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    change_settings(pack, second_editor, visibility="members")
    change_settings(pack, editor, title="Our MD handbook")
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.title, stored.visibility) == ("Our MD handbook", "members")


def test_an_editor_alone_cannot_turn_off_the_approval_rule(pack, editor):
    pack.requires_approval = True
    pack.save()
    with pytest.raises(services.RuleRefused, match="Only an approver"):
        change_settings(pack, editor, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval


def test_an_approver_who_edited_the_draft_cannot_turn_off_the_approval_rule(pack, editor_approver):
    change_settings(pack, editor_approver, requires_approval=True)
    change_settings(pack, editor_approver, title="Edited by me")
    events_before = AuditEvent.objects.count()
    with pytest.raises(services.RuleRefused, match="Another approver must turn off approval"):
        change_settings(pack, editor_approver, requires_approval=False, title="Sneaked in")
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.requires_approval, stored.title) == (True, "Edited by me")
    assert stored.can_publish(editor_approver) is False
    assert AuditEvent.objects.count() == events_before


def test_an_approver_who_edited_before_a_colleague_still_cannot_turn_off_the_approval_rule(
    pack, editor, editor_approver, edited
):
    change_settings(pack, editor_approver, requires_approval=True)
    edited(pack, editor_approver)
    edited(pack, editor, text="A later edit by someone else.")
    with pytest.raises(services.RuleRefused, match="Another approver"):
        change_settings(pack, editor_approver, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval


def test_an_approver_who_edited_nothing_in_the_draft_can_turn_off_the_approval_rule(
    pack, editor, make_user, trust
):
    roles = [Membership.Role.EDITOR, Membership.Role.APPROVER]
    other = make_user("other-hr", trust=trust, roles=roles)
    pack.requires_approval = True
    pack.save()
    change_settings(pack, editor, title="Edited by the editor")
    change_settings(pack, other, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is False


def test_platform_staff_who_edited_the_draft_cannot_turn_off_the_approval_rule(
    pack, staff_approver
):
    pack.requires_approval = True
    pack.save()
    change_settings(pack, staff_approver, title="Edited by staff")
    with pytest.raises(services.RuleRefused, match="Another approver"):
        change_settings(pack, staff_approver, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is True


def test_platform_staff_who_edited_nothing_can_turn_off_the_approval_rule_as_an_approver(
    pack, editor, staff_approver
):
    pack.requires_approval = True
    pack.save()
    change_settings(pack, editor, title="Edited by the editor")
    change_settings(pack, staff_approver, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is False


def test_staff_acting_as_an_editor_cannot_turn_off_the_approval_rule(pack, staff_acting):
    pack.requires_approval = True
    pack.save()
    with pytest.raises(services.RuleRefused, match="Only an approver"):
        change_settings(pack, staff_acting, requires_approval=False)
    assert InductionPack.objects.get(pk=pack.pk).requires_approval is True


# --- platform staff without access ------------------------------------------------------------


def _staff_edits(pack):
    """Every draft and settings service, as a call taking the user."""
    markdown = pack.sections.filter(kind=Section.Kind.MARKDOWN).first()
    return {
        "save_section": lambda user: services.save_section(
            section=markdown, user=user, expected_revision=markdown.revision, body="Staff's."
        ),
        "add_section": lambda user: services.add_section(pack=pack, user=user, title="Staff's"),
        "remove_section": lambda user: services.remove_section(
            section=markdown, user=user, expected_revision=markdown.revision
        ),
        "move_section": lambda user: services.move_section(
            section=markdown, user=user, direction="down"
        ),
        "update_pack_settings": lambda user: change_settings(pack, user, title="Staff's"),
    }


@pytest.mark.parametrize(
    "service", ["save_section", "add_section", "remove_section", "move_section",
                "update_pack_settings"]
)  # fmt: skip
def test_platform_staff_without_access_cannot_change_the_draft_or_settings(
    pack, staff_superuser, service
):
    before = (
        list(pack.sections.values_list("pk", "title", "body", "order", "revision")),
        InductionPack.objects.get(pk=pack.pk).title,
        AuditEvent.objects.count(),
    )
    with pytest.raises(PermissionDenied, match="Only an editor of this trust"):
        _staff_edits(pack)[service](staff_superuser)
    after = (
        list(pack.sections.values_list("pk", "title", "body", "order", "revision")),
        InductionPack.objects.get(pk=pack.pk).title,
        AuditEvent.objects.count(),
    )
    assert after == before


def test_platform_staff_without_access_cannot_restore_a_version(pack, staff, editor_approver):
    version = pack.publish(user=editor_approver)
    with pytest.raises(PermissionDenied, match="Only an editor of this trust"):
        services.restore_version(version=version, user=staff)
    assert not AuditEvent.objects.filter(actor=staff).exists()


@pytest.mark.parametrize(
    "service", ["save_section", "add_section", "remove_section", "move_section",
                "update_pack_settings"]
)  # fmt: skip
def test_platform_staff_acting_as_an_editor_can_change_the_draft_and_settings(
    pack, staff_acting, service
):
    _staff_edits(pack)[service](staff_acting)
    assert AuditEvent.objects.filter(actor=staff_acting).exclude(
        action=AuditEvent.Action.STAFF_ACCESS_STARTED
    ).exists()


@pytest.mark.parametrize(
    "months, message",
    [
        (0, "Enter a review interval of at least 1 month"),
        (48, "Enter a review interval of 36 months or fewer"),
    ],
)
def test_a_review_interval_out_of_range_is_refused(pack, editor, months, message):
    with pytest.raises(ValidationError) as error:
        change_settings(pack, editor, review_interval_months=months)
    assert message in error.value.message_dict["review_interval_months"]
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.review_interval_months, stored.settings_revision) == (12, 1)


def test_changing_the_title_counts_as_an_edit_of_the_draft(published, editor):
    pack = published.pack
    change_settings(pack, editor, title="Our MD handbook")
    assert InductionPack.objects.get(pk=pack.pk).status == "live_with_changes"
    event = AuditEvent.objects.get(action="title_changed")
    assert (event.detail, event.changes_draft) == ("Changed the title to “Our MD handbook”", True)


# --- restore -------------------------------------------------------------------------------


def test_restore_version_copies_its_content_into_the_draft(published, editor):
    pack = published.pack
    welcome = pack.sections.get(order=1)
    services.save_section(section=welcome, user=editor, expected_revision=1, body="Changed.")
    services.remove_section(section=pack.sections.get(order=2), user=editor, expected_revision=1)
    services.restore_version(version=published, user=editor)
    assert snapshot_draft(pack)["sections"] == published.content["sections"]
    event = AuditEvent.objects.get(action="restored")
    assert (event.version, event.detail) == (published, "Restored version 1 into the draft")
    assert event.changes_draft


def test_restore_keeps_local_choices(published, editor, editor_approver):
    pack = published.pack
    section = section_of(pack, "responsibilities")
    overlay = section.overlays.get(responsibility__slug="responsible-officer")
    services.save_section(
        section=section,
        user=editor,
        expected_revision=1,
        overlays={overlay.pk: {"status": "delegated", "delegated_to": "Deputy Medical Director"}},
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


def test_a_restore_makes_the_restorer_a_draft_editor_for_the_approval_rule(
    published, editor_approver, approver
):
    pack = published.pack
    pack.requires_approval = True
    pack.save()
    assert pack.can_publish(editor_approver)  # nothing edited since version 1
    services.restore_version(version=published, user=editor_approver)
    assert pack.can_publish(editor_approver) is False
    assert pack.can_publish(approver) is True


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


def test_a_pack_cannot_grow_past_the_section_limit_that_import_and_restore_keep(pack, editor):
    from induction.importing import MAX_SECTIONS

    while pack.sections.count() < MAX_SECTIONS:
        services.add_section(pack=pack, user=editor, title=f"Extra {pack.sections.count()}")
    with pytest.raises(ValidationError, match=f"at most {MAX_SECTIONS} sections"):
        services.add_section(pack=pack, user=editor, title="One too many")
    assert pack.sections.count() == MAX_SECTIONS


@pytest.mark.parametrize(
    "title",
    [
        "Welcome\u202e kcab txet",  # right-to-left override: displays reversed
        "Wel\u200bcome",  # zero-width space: looks like another title
        "\u2066Glossary\u2069",  # bidi isolates
        "\ufeffGlossary",  # a byte-order mark pasted from Word
    ],
)
def test_titles_with_invisible_formatting_characters_are_refused(pack, editor, title):
    section = pack.sections.get(order=1)
    with pytest.raises(ValidationError, match="invisible formatting characters"):
        services.save_section(
            section=section, user=editor, expected_revision=section.revision, title=title
        )
    with pytest.raises(ValidationError, match="invisible formatting characters"):
        services.add_section(pack=pack, user=editor, title=title)
    with pytest.raises(ValidationError, match="invisible formatting characters"):
        services.update_pack_settings(
            pack=pack, user=editor, expected_revision=pack.settings_revision, title=title
        )
    people = pack.sections.get(kind="people")
    with pytest.raises(ValidationError, match="invisible formatting characters"):
        services.save_section(
            section=people,
            user=editor,
            expected_revision=people.revision,
            post_holders=[{"name": title, "title": "Chair", "relation": "works_with"}],
        )
    section.refresh_from_db()
    pack.refresh_from_db()
    assert title not in (section.title, pack.title)
    assert not pack.sections.filter(title=title).exists()


def test_ordinary_punctuation_and_accents_in_titles_are_kept(pack, editor):
    section = pack.sections.get(order=1)
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        title="Croeso – Welcome to Ysbyty’r Gogledd (A&E, “front door”)",
    )
    section.refresh_from_db()
    assert section.title == "Croeso – Welcome to Ysbyty’r Gogledd (A&E, “front door”)"
