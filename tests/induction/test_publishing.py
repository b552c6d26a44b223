"""Publishing: one operation, numbered versions, the four-eyes rule, immutability."""

import datetime
import threading
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from induction import services
from induction.baseline import create_pack_from_baseline, draft_national_revision
from induction.models import (
    AuditEvent,
    FrozenVersionError,
    InductionPack,
    Membership,
    PackVersion,
    Section,
)
from induction.publishing import (
    DraftChanged,
    NothingToPublish,
    PublishError,
    PublishRefused,
    SecondPersonRequired,
    add_months,
)
from induction.signals import version_published
from roles.models import Responsibility

from .conftest import act_as_editor, edit_draft, load_national_data, one_space_edit
from .ui_helpers import admin_change_data


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
    numbers = []
    for turn in range(3):
        edit_draft(pack, editor_approver, text=f"Change {turn}.")
        numbers.append(pack.publish(user=editor_approver).number)
    assert numbers == [1, 2, 3]


def test_an_unchanged_draft_is_not_published_again(pack, editor_approver):
    pack.publish(user=editor_approver)
    with pytest.raises(NothingToPublish, match="Nothing has changed since version 1"):
        pack.publish(user=editor_approver)
    assert list(pack.versions.values_list("number", flat=True)) == [1]


def test_a_draft_changed_since_it_was_reviewed_is_not_published(pack, editor, approver):
    reviewed = pack.draft_revision
    edit_draft(pack, editor)
    with pytest.raises(DraftChanged, match="The draft changed while you were reviewing it"):
        pack.publish(user=approver, reviewed_revision=reviewed)
    assert not PackVersion.objects.exists()


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


def test_with_approval_an_approver_who_edited_cannot_publish_after_someone_else_edits(
    pack, editor_approver, second_editor, approver
):
    """Four eyes means nobody who edited the draft, not merely someone other than the last
    editor: a colleague's one-space edit does not let the approver publish her own change."""
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver, text="The approver's own change.")
    one_space_edit(pack, second_editor)
    with pytest.raises(SecondPersonRequired, match="a different approver"):
        pack.publish(user=editor_approver)
    assert not PackVersion.objects.exists()
    assert pack.publish(user=approver).approved_by == approver


def test_with_approval_staff_acting_as_an_editor_cannot_publish_their_own_edit(
    pack, staff_acting, approver
):
    """Acting as an editor makes staff an editor, never an approver: four eyes still means
    one of the trust's approvers."""
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_acting)
    with pytest.raises(PublishRefused, match="Only an approver of this trust"):
        pack.publish(user=staff_acting)
    assert not PackVersion.objects.exists()
    assert pack.publish(user=approver).published_by == approver


def test_with_approval_staff_who_are_also_approvers_cannot_publish_their_own_edit(
    pack, staff_approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_approver)
    with pytest.raises(SecondPersonRequired, match="a different approver"):
        pack.publish(user=staff_approver)
    assert not PackVersion.objects.exists()


def test_platform_staff_without_access_cannot_publish(pack, staff, editor):
    edit_draft(pack, editor)
    with pytest.raises(PublishRefused, match="Only an editor or approver of this trust"):
        pack.publish(user=staff)
    assert not PackVersion.objects.exists()


def test_the_approval_rule_is_checked_against_the_latest_editor(pack, editor_approver, editor):
    """The pack object in hand may be stale: publish reads the draft's editors under the
    lock."""
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


def _edit_then_publish_in_thread(pack_id, section_id, user, barrier, results):
    """Edit one section of the draft, then, once every thread has edited, publish."""
    try:
        section = Section.objects.get(pk=section_id)
        services.save_section(
            section=section,
            user=user,
            expected_revision=section.revision,
            body=f"{section.body}\n\nEdited by thread {section_id}.",
        )
        pack = InductionPack.objects.get(pk=pack_id)
        barrier.wait(timeout=10)
        try:
            results.append(pack.publish(user=user).number)
        except NothingToPublish:
            # Another thread's version already froze this thread's edit: nothing is lost.
            results.append("nothing to publish")
    except Exception as error:  # reported to the main thread below
        results.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_make_distinct_version_numbers_and_lose_no_edit(
    trust, editor_approver
):
    """Four editors each save a section and publish at the same moment: the row lock makes
    the publishes queue, so numbers never repeat, the first freezes every edit made so far,
    and the later ones find nothing new to publish rather than making copies."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has no row locks and one writer at a time; run with DATABASE_URL set to "
            "PostgreSQL to test the row lock under real concurrency."
        )
    load_national_data()
    pack = create_pack_from_baseline(trust=trust)
    section_ids = list(pack.sections.order_by("order").values_list("pk", flat=True)[:4])
    barrier = threading.Barrier(4)
    results = []
    threads = [
        threading.Thread(
            target=_edit_then_publish_in_thread,
            args=(pack.pk, section_id, editor_approver, barrier, results),
        )
        for section_id in section_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(r for r in results if isinstance(r, int))
    assert numbers == list(range(1, len(numbers) + 1)), results
    assert results.count("nothing to publish") == 4 - len(numbers)
    assert sorted(pack.versions.values_list("number", flat=True)) == numbers
    newest = pack.versions.order_by("-number").first()
    frozen = " ".join(section["body"] for section in newest.content["sections"])
    for section_id in section_ids:
        assert f"Edited by thread {section_id}." in frozen


# --- the admin uses the same operation --------------------------------------------------------


def publish_in_the_admin(client, pack):
    """Run the admin's "publish" action on `pack` and return the page it ends on."""
    return client.post(
        reverse("admin:induction_inductionpack_changelist"),
        {"action": "publish", "_selected_action": [pack.pk]},
        follow=True,
    )


def test_the_admin_publish_action_publishes_through_the_same_rules(client, pack, staff_superuser):
    act_as_editor(staff_superuser, pack.trust)
    client.force_login(staff_superuser)
    response = publish_in_the_admin(client, pack)
    assert response.status_code == 200
    assert "published version 1" in response.content.decode()
    version = PackVersion.objects.get()
    assert version.published_by == staff_superuser
    assert AuditEvent.objects.filter(action="published", actor=staff_superuser).exists()


def make_approver_acting_as_editor(user, trust):
    """Make platform staff `user` an approver of `trust` by membership, acting as its editor."""
    Membership.objects.create(user=user, trust=trust, role=Membership.Role.APPROVER)
    act_as_editor(user, trust)
    return user


def test_the_admin_publish_action_refuses_platform_staff_without_access(
    client, pack, staff_superuser, editor
):
    edit_draft(pack, editor)
    client.force_login(staff_superuser)
    html = unescape(publish_in_the_admin(client, pack).content.decode())
    assert f"{pack.trust}: Only an editor or approver of this trust can publish" in html
    assert not PackVersion.objects.exists()


def test_the_admin_publish_action_reports_a_refusal(client, pack, staff_superuser):
    make_approver_acting_as_editor(staff_superuser, pack.trust)
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_superuser)
    client.force_login(staff_superuser)
    html = unescape(publish_in_the_admin(client, pack).content.decode())
    assert f"{pack.trust}: You have edited this draft since the last version" in html
    assert "a different approver must publish it" in html
    assert not PackVersion.objects.exists()


def test_the_admin_publish_action_refuses_an_approver_who_edited_before_someone_else(
    client, pack, staff_superuser, second_editor, approver
):
    """Staff's edit is not forgotten because a second editor saved a one-space edit after it."""
    make_approver_acting_as_editor(staff_superuser, pack.trust)
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_superuser, text="Staff's own change.")
    one_space_edit(pack, second_editor)
    client.force_login(staff_superuser)
    html = unescape(publish_in_the_admin(client, pack).content.decode())
    assert "a different approver must publish it" in html
    assert not PackVersion.objects.exists()
    assert pack.publish(user=approver).number == 1


def test_the_admin_publish_action_reports_an_unchanged_draft(client, published, staff_superuser):
    act_as_editor(staff_superuser, published.pack.trust)
    client.force_login(staff_superuser)
    html = unescape(publish_in_the_admin(client, published.pack).content.decode())
    assert f"{published.pack.trust}: Nothing has changed since version 1" in html
    assert list(PackVersion.objects.values_list("number", flat=True)) == [1]


def test_admin_versions_and_audit_are_read_only(client, published, staff_superuser):
    client.force_login(staff_superuser)
    change = f"/admin/induction/packversion/{published.pk}/change/"
    response = client.get(change)
    assert response.status_code == 200
    assert 'name="change_summary"' not in response.content.decode()
    client.post(change, {"change_summary": "rewritten"})
    published.refresh_from_db()
    assert published.change_summary == "First version"
    assert client.get("/admin/induction/auditevent/add/").status_code == 403


def admin_change_url(pack):
    return reverse("admin:induction_inductionpack_change", args=[pack.pk])


def admin_error_messages(response):
    return [
        str(message) for message in response.context["messages"] if message.level_tag == "error"
    ]


def test_admin_section_edits_go_through_the_services(client, pack, staff_superuser):
    act_as_editor(staff_superuser, pack.trust)
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    data = admin_change_data(client.get(url))
    data["sections-0-body"] = "Edited in the admin."
    data["requires_approval"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    welcome = pack.sections.get(order=1)
    assert (welcome.body, welcome.revision, welcome.updated_by) == (
        "Edited in the admin.",
        2,
        staff_superuser,
    )
    assert AuditEvent.objects.filter(action="section_edited", actor=staff_superuser).exists()
    assert InductionPack.objects.get(pk=pack.pk).requires_approval
    settings_event = AuditEvent.objects.get(action="settings_changed")
    assert (settings_event.actor, settings_event.detail) == (
        staff_superuser,
        "Changed approval by a second person: on",
    )


def test_an_admin_pack_form_saved_after_a_colleague_changed_the_settings_saves_nothing(
    client, pack, staff_superuser, editor
):
    act_as_editor(staff_superuser, pack.trust)
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    data = admin_change_data(client.get(url))
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, visibility="public"
    )
    data["title"] = "A title typed in the admin"
    data["sections-0-body"] = "Section text typed in the admin."
    events = AuditEvent.objects.count()

    response = client.post(url, data)

    # Both sides: what the staff member typed, still in the form, and the settings now.
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'value="A title typed in the admin"' in html
    assert "Section text typed in the admin." in html
    [error] = response.context["adminform"].form.non_field_errors()
    assert error.startswith(
        "The settings changed while you were editing them. editor saved them at "
    )
    assert "Visibility: Public: anyone can read published versions;" in error
    pack = InductionPack.objects.get(pk=pack.pk)
    assert (pack.title, pack.visibility) == ("Medical Director induction pack", "public")
    assert pack.sections.get(order=1).revision == 1
    assert AuditEvent.objects.count() == events


def test_an_admin_section_form_saved_after_an_editor_saved_it_keeps_the_editor_s_text(
    client, pack, staff_superuser, editor
):
    """The stale section comes after a fresh one and a new title in the same save: the whole
    save is undone, not only the stale part."""
    act_as_editor(staff_superuser, pack.trust)
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    data = admin_change_data(client.get(url))
    second = pack.sections.get(order=2)
    services.save_section(
        section=second, user=editor, expected_revision=second.revision,
        body="The editor's newer text.",
    )  # fmt: skip
    data["title"] = "A title typed in the admin"
    data["sections-0-body"] = "A fresh section edited in the same save."
    data["sections-1-body"] = "The admin's older idea of the second section."

    response = client.post(url, data)

    # Both sides: the staff member's text in the form, the editor's in the error.
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "The admin's older idea of the second section." in html
    [error] = response.context["inline_admin_formsets"][0].formset.forms[1].non_field_errors()
    assert error.startswith("This section changed while you were editing it. editor saved it")
    assert "Body: “The editor's newer text.”" in error
    assert pack.sections.get(order=2).body == "The editor's newer text."
    assert pack.sections.get(order=1).revision == 1
    assert InductionPack.objects.get(pk=pack.pk).title == "Medical Director induction pack"
    assert not AuditEvent.objects.filter(actor=staff_superuser, changes_draft=True).exists()


def test_an_admin_section_removal_after_an_editor_saved_it_keeps_the_section(
    client, pack, staff_superuser, editor
):
    act_as_editor(staff_superuser, pack.trust)
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    data = admin_change_data(client.get(url))
    welcome = pack.sections.get(order=1)
    services.save_section(
        section=welcome, user=editor, expected_revision=welcome.revision,
        body="The editor's newer welcome.",
    )  # fmt: skip
    data["sections-0-DELETE"] = "on"

    response = client.post(url, data, follow=True)

    assert admin_error_messages(response)[0].startswith("Nothing was saved. ")
    assert pack.sections.get(pk=welcome.pk).body == "The editor's newer welcome."


def test_staff_who_edited_the_draft_cannot_turn_off_approval_in_the_admin(
    client, pack, staff_superuser
):
    make_approver_acting_as_editor(staff_superuser, pack.trust)
    services.update_pack_settings(
        pack=pack, user=staff_superuser, expected_revision=pack.settings_revision,
        requires_approval=True,
    )  # fmt: skip
    edit_draft(pack, staff_superuser)
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    data = admin_change_data(client.get(url))
    del data["requires_approval"]

    response = client.post(url, data, follow=True)

    assert admin_error_messages(response) == [
        "Nothing was saved. Another approver must turn off approval by a second person, "
        "because you have edited this draft since the last version was published."
    ]
    assert InductionPack.objects.get(pk=pack.pk).requires_approval


def test_the_admin_shows_a_pack_read_only_to_staff_without_access(
    client, pack, staff_superuser
):
    """The admin gives no role in a trust: a staff member who is not its editor can read the
    pack there, is told how to act as an editor, and cannot save anything."""
    client.force_login(staff_superuser)
    url = admin_change_url(pack)
    response = client.get(url)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'name="sections-0-body"' not in html
    assert 'name="title"' not in html
    assert "you are not an editor of" in html
    assert reverse("induction:act_as_editor", kwargs={"slug": pack.trust.slug}) in html
    before = list(pack.sections.values_list("pk", "body", "revision"))

    data = {"title": "Changed in the admin", "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0"}  # fmt: skip
    assert client.post(url, data).status_code == 403

    assert list(pack.sections.values_list("pk", "body", "revision")) == before
    assert InductionPack.objects.get(pk=pack.pk).title == pack.title
    assert not AuditEvent.objects.filter(actor=staff_superuser).exists()


def test_the_admin_lists_staff_access_read_only(client, pack, staff_superuser):
    access = act_as_editor(staff_superuser, pack.trust, reason="Fixing a typo for the trust.")
    client.force_login(staff_superuser)
    listing = client.get(reverse("admin:induction_staffaccess_changelist"))
    assert "Fixing a typo for the trust." in listing.content.decode()
    change = reverse("admin:induction_staffaccess_change", args=[access.pk])
    assert 'name="reason"' not in client.get(change).content.decode()
    assert client.get(reverse("admin:induction_staffaccess_add")).status_code == 403
    client.post(change, {"reason": "Rewritten", "ends_at": "2099-01-01 00:00"})
    delete = reverse("admin:induction_staffaccess_delete", args=[access.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    access.refresh_from_db()
    assert access.reason == "Fixing a typo for the trust."


def test_a_version_records_the_national_revision_its_draft_was_built_from(pack, editor):
    version = pack.publish(user=editor)
    assert version.national_revision == draft_national_revision(pack) != ""
    version.national_revision = "0" * 16
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        PackVersion.objects.filter(pk=version.pk).update(national_revision="")


def test_a_draft_of_only_the_trusts_own_sections_records_no_national_revision(
    trust, national, editor
):
    pack = create_pack_from_baseline(trust=trust)
    for section in list(pack.sections.all()):
        services.remove_section(section=section, user=editor, expected_revision=section.revision)
    services.add_section(pack=pack, user=editor, title="Our own", body="Local text.")
    assert pack.publish(user=editor).national_revision == ""
