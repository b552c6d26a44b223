"""The models' own rules: derived status, the newest version, versions that never change, and
the audit trail's draft revision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from induction import services
from induction.models import (
    AuditEvent,
    FrozenVersionError,
    InductionPack,
    PackVersion,
    ResponsibilityOverlay,
    Trust,
)


def test_a_new_pack_is_a_draft(pack):
    assert pack.latest_version is None
    assert pack.status == "draft"
    assert pack.status_label == "Draft: not published yet"


def test_a_published_pack_is_live(published):
    pack = InductionPack.objects.get(pk=published.pack_id)
    assert pack.latest_version == published
    assert pack.status == "live"


def test_an_edit_after_publishing_makes_it_live_with_changes(published, editor):
    pack = InductionPack.objects.get(pk=published.pack_id)
    section = pack.sections.first()
    services.save_section(
        section=section, user=editor, expected_revision=section.revision, body="New welcome."
    )
    pack = InductionPack.objects.get(pk=pack.pk)
    assert pack.status == "live_with_changes"
    assert pack.status_label == "Published, with unpublished changes"


def test_publishing_again_makes_it_live(published, editor, editor_approver):
    pack = InductionPack.objects.get(pk=published.pack_id)
    section = pack.sections.first()
    services.save_section(
        section=section, user=editor, expected_revision=section.revision, body="New welcome."
    )
    pack.publish(user=editor_approver)
    assert pack.status == "live"
    assert pack.latest_version.number == 2


def test_latest_version_uses_prefetched_versions(
    pack, other_pack, editor_approver, outsider, edited, django_assert_num_queries
):
    for number in range(3):
        edited(pack, editor_approver, text=f"Edit {number}.")
        pack.publish(user=editor_approver)
    other_pack.publish(user=outsider)
    with django_assert_num_queries(2):  # packs with trust and role; their versions
        packs = list(InductionPack.objects.with_versions().order_by("trust__name"))
        statuses = [(p.trust.slug, p.latest_version.number, p.status) for p in packs]
    assert statuses == [("elsewhere", 1, "live"), ("testshire", 3, "live")]


def test_with_versions_does_not_load_the_frozen_content(published):
    pack = InductionPack.objects.with_versions().get(pk=published.pack_id)
    assert "content" in pack.latest_version.get_deferred_fields()


@pytest.fixture
def someone_else(make_user):
    return make_user("someone-else")


# Each frozen field by its column name, with a value it does not have: the guard must know
# every one of them, under every spelling (`published_by` and `published_by_id`).
FROZEN_CHANGES = {
    "pack_id": lambda other: other["pack"].pk,
    "number": lambda other: 7,
    "content": lambda other: {"sections": []},
    "rendered_html": lambda other: "<p>changed</p>",
    "change_summary": lambda other: "Rewritten history",
    "published_by_id": lambda other: other["user"].pk,
    "approved_by_id": lambda other: other["user"].pk,
    "published_at": lambda other: datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    "next_review_date": lambda other: datetime.date(2099, 1, 1),
}


@pytest.fixture
def other_values(other_pack, someone_else):
    return {"pack": other_pack, "user": someone_else}


def stored_frozen_fields(version):
    return PackVersion.objects.filter(pk=version.pk).values(*FROZEN_CHANGES).get()


@pytest.mark.parametrize("attname", FROZEN_CHANGES)
def test_no_frozen_field_can_be_changed_by_saving_the_whole_row(published, other_values, attname):
    before = stored_frozen_fields(published)
    setattr(published, attname, FROZEN_CHANGES[attname](other_values))
    name = attname.removesuffix("_id")
    with pytest.raises(FrozenVersionError, match=rf"Version 1 is published .*\b{name}\b"):
        published.save()
    assert stored_frozen_fields(published) == before


@pytest.mark.parametrize("attname", FROZEN_CHANGES)
def test_no_frozen_field_can_be_changed_by_saving_it_by_name(published, other_values, attname):
    """`update_fields` may name a foreign key either way: `published_by` or `published_by_id`."""
    before = stored_frozen_fields(published)
    setattr(published, attname, FROZEN_CHANGES[attname](other_values))
    for spelling in {attname, attname.removesuffix("_id")}:
        with pytest.raises(FrozenVersionError):
            published.save(update_fields=[spelling])
    assert stored_frozen_fields(published) == before


@pytest.mark.parametrize("attname", FROZEN_CHANGES)
def test_no_frozen_field_can_be_changed_in_bulk(published, other_values, attname):
    before = stored_frozen_fields(published)
    value = FROZEN_CHANGES[attname](other_values)
    with pytest.raises(FrozenVersionError, match=attname):
        PackVersion.objects.filter(pk=published.pk).update(**{attname: value})
    if attname.endswith("_id"):
        related = other_values["pack" if attname == "pack_id" else "user"]
        with pytest.raises(FrozenVersionError):
            PackVersion.objects.update(**{attname.removesuffix("_id"): related})
    assert stored_frozen_fields(published) == before


def test_a_bulk_update_of_a_pdf_field_and_a_frozen_field_changes_neither(published):
    with pytest.raises(FrozenVersionError, match="content"):
        PackVersion.objects.filter(pk=published.pk).update(
            pdf_error="Timed out", content={"sections": []}
        )
    published.refresh_from_db()
    assert published.pdf_error == ""
    assert published.content["sections"]


def test_a_save_of_a_pdf_field_and_a_frozen_field_changes_neither(published):
    published.pdf_status = PackVersion.PdfStatus.FAILED
    published.change_summary = "Rewritten history"
    with pytest.raises(FrozenVersionError, match="change_summary"):
        published.save(update_fields=["pdf_status", "change_summary"])
    published.refresh_from_db()
    assert (published.pdf_status, published.change_summary) == ("pending", "First version")


def test_saving_only_the_pdf_fields_writes_nothing_frozen(published):
    """A save that names only PDF fields cannot write a frozen one, so an unsaved change to
    the object in memory neither blocks it nor reaches the database."""
    published.change_summary = "Changed in memory only"
    published.pdf_status = PackVersion.PdfStatus.FAILED
    published.save(update_fields=["pdf_status"])
    published.refresh_from_db()
    assert (published.pdf_status, published.change_summary) == ("failed", "First version")


def test_the_pdf_fields_can_be_updated_in_bulk(published):
    updated = PackVersion.objects.filter(pk=published.pk).update(
        pdf_status=PackVersion.PdfStatus.FAILED, pdf_error="Timed out"
    )
    assert updated == 1
    published.refresh_from_db()
    assert (published.pdf_status, published.pdf_error) == ("failed", "Timed out")


def test_a_version_s_pdf_fields_can_be_filled_in(published, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    published.pdf_status = PackVersion.PdfStatus.READY
    published.pdf_sha256 = "a" * 64
    published.save(update_fields=["pdf_status", "pdf_sha256"])
    published.pdf.save("v1.pdf", ContentFile(b"%PDF-1.7 test"))  # saves the whole row
    PackVersion.objects.filter(pk=published.pk).update(pdf_error="")
    published.refresh_from_db()
    assert published.pdf_status == "ready"
    assert published.pdf.name.startswith("packs/v1")


def test_a_whole_row_save_that_changes_nothing_frozen_is_allowed(published):
    published.pdf_error = "Timed out"
    published.save()
    published.refresh_from_db()
    assert published.pdf_error == "Timed out"


def test_due_for_review_once_the_date_has_passed(published):
    published.next_review_date = timezone.localdate() - datetime.timedelta(days=1)
    assert published.is_due_for_review
    published.next_review_date = timezone.localdate()
    assert not published.is_due_for_review


@pytest.mark.parametrize("code", ["RX1", "RTH", "TAJ", "R1A"])
def test_ods_codes_of_trusts_are_accepted(code):
    Trust(name="A trust", slug="a", ods_code=code, kind="acute").full_clean(validate_unique=False)


@pytest.mark.parametrize("code", ["rx1", "X12", "RX", "RX12", "R-1"])
def test_malformed_ods_codes_are_refused_with_an_example(code):
    with pytest.raises(ValidationError, match="for example RX1"):
        Trust(name="A trust", slug="a", ods_code=code, kind="acute").full_clean(
            validate_unique=False
        )


def test_section_anchor_follows_its_position(pack):
    assert [section.anchor for section in pack.sections.all()[:3]] == [
        "section-1",
        "section-2",
        "section-3",
    ]


def test_deleting_the_publisher_keeps_the_version(published, editor_approver):
    editor_approver.delete()
    published.refresh_from_db()
    assert published.published_by is None
    assert published.number == 1


def test_recording_a_draft_edit_bumps_the_draft_revision_and_stamps_the_editor(pack, editor):
    assert pack.draft_revision == 1
    event = pack.record(editor, AuditEvent.Action.SECTION_EDITED, "Edited “Welcome”")
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.draft_revision, pack.draft_revision) == (2, 2)
    assert stored.last_edited_by == editor and stored.last_edited_at is not None
    assert event.changes_draft is True
    assert editor.pk in pack.draft_editor_ids


@pytest.mark.parametrize(
    "action", [AuditEvent.Action.PUBLISHED, AuditEvent.Action.SETTINGS_CHANGED]
)
def test_recording_an_event_that_is_not_a_draft_edit_leaves_the_draft_alone(pack, editor, action):
    event = pack.record(editor, action, "Not an edit of the draft")
    stored = InductionPack.objects.get(pk=pack.pk)
    assert (stored.draft_revision, stored.last_edited_by, stored.last_edited_at) == (1, None, None)
    assert event.changes_draft is False
    assert editor.pk not in pack.draft_editor_ids


# --- rules the database keeps, whatever path writes the row -------------------------------------


@pytest.mark.parametrize("months", [0, 37])
def test_the_database_refuses_a_review_interval_out_of_range(pack, months):
    """The range is on the field's validators for forms and the admin, and a CheckConstraint
    for anything that writes the row without them."""
    with pytest.raises(IntegrityError), transaction.atomic():
        InductionPack.objects.filter(pk=pack.pk).update(review_interval_months=months)
    assert InductionPack.objects.get(pk=pack.pk).review_interval_months == 12


@pytest.mark.parametrize("months, valid", [(0, False), (1, True), (36, True), (37, False)])
def test_a_pack_s_own_validation_knows_the_review_interval_range(pack, months, valid):
    pack.review_interval_months = months
    if valid:
        pack.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            pack.full_clean()
        assert "review_interval_months" in error.value.message_dict


def test_the_database_refuses_a_delegated_responsibility_without_a_post(pack):
    overlay = pack.sections.get(kind="responsibilities").overlays.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityOverlay.objects.filter(pk=overlay.pk).update(
            status=ResponsibilityOverlay.Status.DELEGATED, delegated_to=""
        )


def test_a_delegated_responsibility_without_a_post_fails_its_own_clean(pack):
    overlay = pack.sections.get(kind="responsibilities").overlays.first()
    overlay.status, overlay.delegated_to = ResponsibilityOverlay.Status.DELEGATED, "  "
    with pytest.raises(ValidationError) as error:
        overlay.clean()
    assert error.value.message_dict["delegated_to"] == [
        "Enter the post this responsibility is delegated to, for example Director of Nursing"
    ]
