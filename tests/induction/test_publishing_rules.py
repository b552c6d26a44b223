"""Publishing's rules, each on its own: which refusal and exception each person gets, rules
re-read under the lock rather than from the caller's stale object, the draft editors the
four-eyes rule counts, and review dates (written out by hand, never computed by add_months)."""

import datetime

import pytest
from django.utils import timezone

from induction import services
from induction.importing import import_draft
from induction.models import AuditEvent, InductionPack, PublishRefusal
from induction.publishing import (
    DraftChanged,
    NothingToPublish,
    PublishRefused,
    SecondPersonRequired,
    add_months,
)

from .conftest import edit_draft


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Publishing queues the PDF after commit; keep any file it writes out of the checkout.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def approval_required(pack):
    pack.requires_approval = True
    pack.save()
    return pack


def stale_copy(pack):
    """The pack as a page loaded it: a separate object that later changes do not reach."""
    return InductionPack.objects.get(pk=pack.pk)


# --- review dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2026, 1, 15), 12, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 6, 15), 6, datetime.date(2026, 12, 15)),
        (datetime.date(2025, 12, 31), 12, datetime.date(2026, 12, 31)),
        (datetime.date(2026, 11, 30), 1, datetime.date(2026, 12, 30)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
        (datetime.date(2026, 12, 31), 36, datetime.date(2029, 12, 31)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 5, 31), 1, datetime.date(2026, 6, 30)),
    ],
)
def test_add_months_lands_on_the_same_day_or_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.fixture
def publishing_on_15_january_2026(monkeypatch):
    """Publications happen at noon on 15 January 2026 (noon: the same date in any zone)."""
    noon = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("induction.publishing.timezone.now", lambda: noon)


@pytest.mark.parametrize(
    "interval, due",
    [
        (1, datetime.date(2026, 2, 15)),
        (6, datetime.date(2026, 7, 15)),
        (11, datetime.date(2026, 12, 15)),
        (12, datetime.date(2027, 1, 15)),
        (36, datetime.date(2029, 1, 15)),
    ],
)
def test_a_version_is_due_for_review_after_the_pack_s_interval(
    pack, editor_approver, publishing_on_15_january_2026, interval, due
):
    pack.review_interval_months = interval
    pack.save()
    version = pack.publish(user=editor_approver)
    assert version.published_at.date() == datetime.date(2026, 1, 15)
    assert version.next_review_date == due


def test_the_review_interval_is_read_under_the_lock(
    pack, editor, editor_approver, publishing_on_15_january_2026
):
    stale = stale_copy(pack)
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, review_interval_months=6
    )
    assert stale.review_interval_months == 12
    version = stale.publish(user=editor_approver)
    assert version.next_review_date == datetime.date(2026, 7, 15)


# --- who is refused, and with which exception ----------------------------------------------------


def test_with_approval_an_editor_who_is_not_an_approver_is_refused_not_sent_to_a_second_person(
    approval_required, editor
):
    with pytest.raises(PublishRefused) as raised:
        approval_required.publish(user=editor)
    assert not isinstance(raised.value, SecondPersonRequired)
    assert raised.value.refusal is PublishRefusal.NOT_APPROVER
    assert not approval_required.versions.exists()


@pytest.mark.parametrize("who", ["reader", "outsider"])
def test_someone_who_is_neither_editor_nor_approver_is_refused_as_such(request, pack, who):
    with pytest.raises(PublishRefused) as raised:
        pack.publish(user=request.getfixturevalue(who))
    assert not isinstance(raised.value, SecondPersonRequired)
    assert raised.value.refusal is PublishRefusal.NOT_EDITOR_OR_APPROVER
    assert not pack.versions.exists()


def test_an_anonymous_visitor_is_asked_to_sign_in(pack, anonymous):
    with pytest.raises(PublishRefused) as raised:
        pack.publish(user=anonymous)
    assert raised.value.refusal is PublishRefusal.NOT_SIGNED_IN


def test_an_approver_who_edited_is_sent_to_a_second_person(approval_required, editor_approver):
    edit_draft(approval_required, editor_approver)
    with pytest.raises(SecondPersonRequired) as raised:
        approval_required.publish(user=editor_approver)
    assert raised.value.refusal is PublishRefusal.EDITED_THE_DRAFT
    assert PublishRefusal.EDITED_THE_DRAFT.is_second_person_rule
    assert not PublishRefusal.NOT_APPROVER.is_second_person_rule


# --- the locked row, not the caller's stale object --------------------------------------------


def test_the_four_eyes_rule_is_re_read_under_the_lock(approval_required, editor_approver):
    """The caller's object already knows its draft editors (none): an edit made since must
    still stop the approver who made it."""
    stale = stale_copy(approval_required)
    assert stale.can_publish(editor_approver)
    edit_draft(approval_required, editor_approver)
    with pytest.raises(SecondPersonRequired):
        stale.publish(user=editor_approver)
    assert not approval_required.versions.exists()


def test_a_draft_changed_since_the_page_was_loaded_is_not_published(pack, editor, approver):
    stale = stale_copy(pack)
    reviewed = stale.draft_revision
    edit_draft(pack, editor)
    with pytest.raises(DraftChanged):
        stale.publish(user=approver, reviewed_revision=reviewed)
    assert not pack.versions.exists()


def test_publishing_freezes_the_draft_as_stored_not_the_caller_s_object(pack, editor, approver):
    stale = stale_copy(pack)
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, title="Our MD handbook"
    )
    version = stale.publish(user=approver)
    assert version.content["title"] == "Our MD handbook"


def test_the_approver_is_recorded_from_the_stored_setting(pack, editor, approver):
    stale = stale_copy(pack)
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, requires_approval=True
    )
    assert stale.requires_approval is False
    version = stale.publish(user=approver)
    assert version.approved_by == approver


# --- what a publication writes ------------------------------------------------------------------


def test_nothing_to_publish_is_judged_against_the_newest_version(pack, editor_approver):
    pack.publish(user=editor_approver)
    edit_draft(pack, editor_approver)
    pack.publish(user=editor_approver)
    with pytest.raises(NothingToPublish) as raised:
        pack.publish(user=editor_approver)
    assert raised.value.number == 2


def test_a_publication_without_a_summary_is_recorded_as_just_its_number(pack, editor_approver):
    pack.publish(user=editor_approver, change_summary="   ")
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert event.detail == "Version 1"


def test_publishing_clears_the_caller_s_draft_editors(approval_required, editor, approver):
    edit_draft(approval_required, editor)
    assert approval_required.draft_editor_ids == {editor.pk}
    approval_required.publish(user=approver)
    assert approval_required.draft_editor_ids == frozenset()


# --- the draft editors the four-eyes rule counts --------------------------------------------------


def test_another_pack_s_publication_does_not_clear_this_pack_s_draft_editors(
    approval_required, other_pack, editor_approver, outsider
):
    edit_draft(approval_required, editor_approver)
    other_pack.publish(user=outsider)
    pack = stale_copy(approval_required)
    assert pack.draft_editor_ids == {editor_approver.pk}
    assert pack.publish_refusal(editor_approver) is PublishRefusal.EDITED_THE_DRAFT


def test_draft_editors_are_counted_from_the_newest_publication(
    approval_required, editor_approver, second_editor, approver
):
    """She edited before version 2, which someone else approved: after that only the
    colleague's later edit counts, so she may publish it."""
    edit_draft(approval_required, editor_approver, text="First change.")
    approval_required.publish(user=approver)
    edit_draft(approval_required, editor_approver, text="Second change.")
    approval_required.publish(user=approver)
    edit_draft(approval_required, second_editor, text="A colleague's change.")
    pack = stale_copy(approval_required)
    assert pack.draft_editor_ids == {second_editor.pk}
    assert pack.publish(user=editor_approver).number == 3


def test_a_settings_change_does_not_make_someone_a_draft_editor(
    approval_required, editor_approver, editor
):
    services.update_pack_settings(
        pack=approval_required,
        user=editor_approver,
        expected_revision=approval_required.settings_revision,
        visibility="public",
    )
    edit_draft(approval_required, editor)
    pack = stale_copy(approval_required)
    assert pack.draft_editor_ids == {editor.pk}
    assert pack.publish(user=editor_approver).approved_by == editor_approver


def test_eligible_publishers_are_this_trust_s_members_only(pack, editor, approver, outsider, staff):
    assert pack.eligible_publishers() == [approver, editor]


def test_after_an_unnamed_import_every_approver_may_still_publish(pack, approver, editor):
    import_draft(pack, {"sections": [{"title": "Only section", "body": "Text."}]}, user=None)
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, requires_approval=True
    )
    pack = stale_copy(pack)
    assert pack.eligible_publishers() == [approver]
    assert pack.publish(user=approver).approved_by == approver


def test_a_version_is_published_at_the_time_of_publishing(pack, editor_approver):
    before = timezone.now()
    version = pack.publish(user=editor_approver)
    assert before <= version.published_at <= timezone.now()
