"""Publishing: one operation, numbered versions, the four-eyes rule, immutability."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from induction import services
from induction.baseline import create_pack_from_baseline
from induction.models import AuditEvent, InductionPack, PackVersion
from induction.publishing import PublishError, SecondPersonRequired, add_months
from induction.signals import version_published
from roles.models import Responsibility

from .conftest import load_national_data


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Publishing queues the PDF after commit; keep any file it writes out of the checkout.
    settings.MEDIA_ROOT = tmp_path


def test_publish_makes_version_one_with_frozen_content(pack, editor_approver):
    version = pack.publish(user=editor_approver, change_summary="  First version  ")
    assert version.number == 1
    assert version.change_summary == "First version"
    assert version.published_by == editor_approver
    assert version.approved_by is None
    assert version.content["trust"] == "testshire"
    assert [s["anchor"] for s in version.content["sections"]][:2] == ["section-1", "section-2"]
    assert len(version.content["sections"]) == 10
    assert '<section class="app-pack-section" id="section-1"' in version.rendered_html


def test_each_publication_takes_the_next_number(pack, editor_approver):
    numbers = [pack.publish(user=editor_approver).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_publish_sets_the_next_review_date_from_the_pack_s_interval(pack, editor_approver):
    pack.review_interval_months = 6
    pack.save()
    version = pack.publish(user=editor_approver)
    assert version.next_review_date == add_months(timezone.localdate(), 6)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 11, 27), 12, datetime.date(2027, 11, 27)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 29), 6, datetime.date(2028, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_or_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_publish_records_who_and_what_in_the_audit_trail(pack, editor_approver):
    version = pack.publish(user=editor_approver, change_summary="New Chief Executive")
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert (event.actor, event.version, event.trust) == (editor_approver, version, pack.trust)
    assert event.detail == "Version 1: New Chief Executive"


def test_publish_never_changes_an_earlier_version(pack, editor, editor_approver):
    first = pack.publish(user=editor_approver)
    frozen = (first.content, first.rendered_html, first.published_at)
    section = pack.sections.get(order=1)
    services.save_section(
        section=section,
        user=editor,
        expected_revision=section.revision,
        body="A completely new welcome.",
    )
    second = pack.publish(user=editor_approver)
    first.refresh_from_db()
    assert (first.content, first.rendered_html, first.published_at) == frozen
    assert "A completely new welcome." in second.rendered_html
    assert "A completely new welcome." not in first.rendered_html


def test_a_version_keeps_the_national_text_as_it_stood(pack, editor_approver):
    version = pack.publish(user=editor_approver)
    responsibility = Responsibility.objects.get(role=pack.board_role, slug="clinical-strategy")
    old_title = responsibility.title
    responsibility.title = "A retitled national responsibility"
    responsibility.save()
    version.refresh_from_db()
    frozen = next(s for s in version.content["sections"] if s["kind"] == "responsibilities")
    assert frozen["responsibilities"][0]["title"] == old_title
    assert "A retitled national responsibility" not in version.rendered_html


def test_a_reader_may_not_publish(pack, reader):
    with pytest.raises(PermissionDenied, match="Only an editor or approver"):
        pack.publish(user=reader)
    assert not PackVersion.objects.exists()


def test_someone_from_another_trust_may_not_publish(pack, outsider):
    with pytest.raises(PermissionDenied):
        pack.publish(user=outsider)
    assert not PackVersion.objects.exists()


def test_with_approval_an_editor_alone_may_not_publish(pack, editor):
    pack.requires_approval = True
    pack.save()
    with pytest.raises(PermissionDenied, match="Only an approver"):
        pack.publish(user=editor)
    assert not PackVersion.objects.exists()


def test_with_approval_the_last_editor_may_not_publish_their_own_change(pack, editor_approver):
    pack.requires_approval = True
    pack.save()
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor_approver, expected_revision=section.revision, body="Mine."
    )
    with pytest.raises(SecondPersonRequired, match="a different approver") as error:
        pack.publish(user=editor_approver)
    assert isinstance(error.value, PublishError)
    assert isinstance(error.value, PermissionDenied)
    assert not PackVersion.objects.exists()


def test_with_approval_a_second_person_publishes_and_is_recorded_as_approver(
    pack, editor, approver
):
    pack.requires_approval = True
    pack.save()
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor, expected_revision=section.revision, body="Edited."
    )
    version = pack.publish(user=approver, change_summary="Approved")
    assert version.published_by == approver
    assert version.approved_by == approver


def test_the_approval_rule_is_checked_against_the_latest_editor(pack, editor_approver, editor):
    """The pack object in hand may be stale: publish reads the last editor under the lock."""
    pack.requires_approval = True
    pack.save()
    stale = InductionPack.objects.get(pk=pack.pk)
    section = pack.sections.get(order=1)
    services.save_section(
        section=section, user=editor_approver, expected_revision=section.revision, body="Late."
    )
    assert stale.last_edited_by is None
    with pytest.raises(SecondPersonRequired):
        stale.publish(user=editor_approver)


def test_version_published_is_sent_after_commit_with_the_version(
    pack, editor_approver, django_capture_on_commit_callbacks
):
    received = []

    def record(sender, version, **kwargs):
        received.append(version)

    version_published.connect(record, sender=PackVersion)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            version = pack.publish(user=editor_approver)
        assert received == []  # nothing happens inside the transaction
        for callback in callbacks:
            callback()
    finally:
        version_published.disconnect(record, sender=PackVersion)
    assert received == [version]


def test_publish_clears_the_cached_latest_version(pack, editor_approver):
    assert pack.latest_version is None
    version = pack.publish(user=editor_approver)
    assert pack.latest_version == version


def test_publish_runs_a_bounded_number_of_queries(
    pack, editor_approver, django_assert_max_num_queries
):
    pack = InductionPack.objects.select_related("trust").get(pk=pack.pk)
    with django_assert_max_num_queries(20):
        pack.publish(user=editor_approver)


def _publish_in_thread(pack_id, user, barrier, results):
    try:
        pack = InductionPack.objects.get(pk=pack_id)
        barrier.wait(timeout=10)
        results.append(pack.publish(user=user).number)
    except Exception as error:  # reported to the main thread below
        results.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_make_distinct_version_numbers(trust, editor_approver):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has no row locks and one writer at a time; run with DATABASE_URL set to "
            "PostgreSQL to test the row lock under real concurrency."
        )
    load_national_data()
    pack = create_pack_from_baseline(trust=trust)
    barrier = threading.Barrier(4)
    results = []
    threads = [
        threading.Thread(
            target=_publish_in_thread, args=(pack.pk, editor_approver, barrier, results)
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [1, 2, 3, 4], results
    assert sorted(pack.versions.values_list("number", flat=True)) == [1, 2, 3, 4]


# --- the admin uses the same operation --------------------------------------------------------


def test_the_admin_publish_action_publishes_through_the_same_rules(client, pack, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = "/admin/induction/inductionpack/"
    response = client.post(url, {"action": "publish", "_selected_action": [pack.pk]}, follow=True)
    assert response.status_code == 200
    assert "published version 1" in response.content.decode()
    version = PackVersion.objects.get()
    assert version.published_by == staff
    assert AuditEvent.objects.filter(action="published", actor=staff).exists()


def test_the_admin_publish_action_reports_a_refusal(client, pack, staff):
    staff.is_superuser = True
    staff.save()
    pack.requires_approval = True
    pack.last_edited_by = staff
    pack.save()
    client.force_login(staff)
    response = client.post(
        "/admin/induction/inductionpack/",
        {"action": "publish", "_selected_action": [pack.pk]},
        follow=True,
    )
    assert "a different approver" in response.content.decode()
    assert not PackVersion.objects.exists()


def test_admin_versions_and_audit_are_read_only(client, published, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    change = f"/admin/induction/packversion/{published.pk}/change/"
    response = client.get(change)
    assert response.status_code == 200
    assert 'name="change_summary"' not in response.content.decode()
    client.post(change, {"change_summary": "rewritten"})
    published.refresh_from_db()
    assert published.change_summary == "First version"
    assert client.get("/admin/induction/auditevent/add/").status_code == 403


def test_admin_section_edits_go_through_the_services(client, pack, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = f"/admin/induction/inductionpack/{pack.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "trust": pack.trust_id,
            "board_role": pack.board_role_id,
            "visibility": pack.visibility,
            "review_interval_months": pack.review_interval_months,
        }
    )
    formset = page.context["inline_admin_formsets"][0].formset
    prefix = formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": formset.total_form_count(),
            f"{prefix}-INITIAL_FORMS": formset.initial_form_count(),
        }
    )
    for index, section_form in enumerate(formset.forms):
        data[f"{prefix}-{index}-id"] = section_form.instance.pk
        data[f"{prefix}-{index}-pack"] = pack.pk
        data[f"{prefix}-{index}-title"] = section_form.instance.title
        data[f"{prefix}-{index}-body"] = section_form.instance.body
    data[f"{prefix}-0-body"] = "Edited in the admin."
    data["requires_approval"] = "on"
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context and response.context.get("errors")
    welcome = pack.sections.get(order=1)
    assert (welcome.body, welcome.revision, welcome.updated_by) == (
        "Edited in the admin.",
        2,
        staff,
    )
    assert AuditEvent.objects.filter(action="section_edited", actor=staff).exists()
    assert InductionPack.objects.get(pk=pack.pk).requires_approval
    settings_event = AuditEvent.objects.get(action="settings_changed")
    assert (settings_event.actor, settings_event.detail) == (staff, "Changed requires approval")
