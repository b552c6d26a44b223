"""Platform staff change a trust's pack only through a membership or the audited, time-limited
"act as an editor" step: the refusal page offers it, starting and stopping it are recorded in
the trust's audit trail, and it ends by itself."""

import datetime
import io
import json
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from induction import services
from induction.models import AuditEvent, InductionPack, StaffAccess
from induction.staff_access import start_staff_access, stop_staff_access

from .conftest import act_as_editor, edit_draft
from .ui_helpers import page

REASON = "The trust asked us to correct the Chief Executive's name while their editor is away."


def act_as_editor_url(pack):
    return page("act_as_editor", pack)


def html_of(response):
    return unescape(response.content.decode())


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the refusal page offers the step to staff, and only to staff ------------------------------


@pytest.mark.parametrize(
    "name", ["pack_edit", "pack_settings", "section_add", "draft_preview", "publish", "audit"]
)
def test_staff_on_a_management_page_get_a_403_offering_to_act_as_an_editor(
    client, pack, staff, name
):
    client.force_login(staff)
    response = client.get(page(name, pack))
    assert response.status_code == 403
    html = html_of(response)
    assert f"Act as an editor of {pack.trust.name}" in html
    assert "Why do you need to change this trust's pack?" in html
    assert "The trust's editors will see this" in html
    assert "4 hours" in html
    assert f'action="{act_as_editor_url(pack)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert response["Cache-Control"] == "no-store"


def test_a_reader_s_refusal_page_offers_no_step(client, pack, reader):
    client.force_login(reader)
    html = html_of(client.get(page("pack_edit", pack)))
    assert "Act as an editor" not in html
    assert "ask the trust's company secretary or HR team" in html


def test_the_offer_says_how_long_the_access_lasts(client, pack, staff, settings):
    settings.STAFF_ACCESS_HOURS = 0.5
    client.force_login(staff)
    assert "for 30 minutes, or until you stop" in html_of(client.get(page("pack_edit", pack)))


# --- starting ---------------------------------------------------------------------------------


def test_staff_who_give_a_reason_act_as_an_editor_and_the_trust_sees_it(
    client, pack, staff, editor, settings
):
    settings.STAFF_ACCESS_HOURS = 2
    revision = pack.draft_revision
    client.force_login(staff)
    before = timezone.now()

    response = client.post(act_as_editor_url(pack), {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response["Location"] == page("pack_edit", pack)
    access = StaffAccess.objects.get()
    assert (access.user, access.trust, access.reason, access.ended_at) == (
        staff,
        pack.trust,
        REASON,
        None,
    )
    assert before + datetime.timedelta(hours=2) <= access.ends_at
    assert access.ends_at <= timezone.now() + datetime.timedelta(hours=2)
    event = AuditEvent.objects.get(action=AuditEvent.Action.STAFF_ACCESS_STARTED)
    assert (event.actor, event.pack, event.trust, event.changes_draft) == (
        staff,
        pack,
        pack.trust,
        False,
    )
    until = timezone.localtime(access.ends_at).strftime("%H:%M")
    assert f"until {until}" in event.detail
    assert REASON in event.detail
    # Starting is not a draft edit: the draft, its revision and the four-eyes rule are untouched.
    pack.refresh_from_db()
    assert (pack.draft_revision, pack.last_edited_by) == (revision, None)

    # The editor is open to them now, and says they are acting, until when, and how to stop.
    editor_page = html_of(client.get(page("pack_edit", pack)))
    assert f"You are acting as an editor of {pack.trust.name} until {until}" in editor_page
    assert "the trust's editors can see this" in editor_page
    assert page("stop_acting_as_editor", pack) in editor_page

    # The trust's own editors read who, why and until when in their audit trail.
    client.force_login(editor)
    audit = html_of(client.get(page("audit", pack)))
    assert "Platform staff started acting as an editor" in audit
    assert REASON in audit
    assert f"until {until}" in audit


def test_a_missing_reason_is_an_error_and_starts_nothing(client, pack, staff):
    client.force_login(staff)
    response = client.post(act_as_editor_url(pack), {"reason": "   "})
    assert response.status_code == 200
    html = html_of(response)
    assert "<title>Error: Act as an editor" in html
    assert "nhsuk-error-summary" in html
    assert "Enter why you need to change this trust's pack" in html
    assert not StaffAccess.objects.exists()
    assert not AuditEvent.objects.filter(actor=staff).exists()
    assert client.get(page("pack_edit", pack)).status_code == 403


def test_a_reason_with_invisible_characters_is_refused(client, pack, staff):
    client.force_login(staff)
    response = client.post(act_as_editor_url(pack), {"reason": "Fix\u202ethe link"})
    assert response.status_code == 200
    assert "invisible formatting characters" in html_of(response)
    assert not StaffAccess.objects.exists()


def test_the_step_has_a_page_of_its_own(client, pack, staff):
    client.force_login(staff)
    response = client.get(act_as_editor_url(pack))
    assert response.status_code == 200
    assert "<h1>Act as an editor of" in html_of(response)
    assert response["Cache-Control"] == "no-store"


def test_staff_who_can_edit_already_go_straight_to_the_editor(client, pack, staff_acting):
    client.force_login(staff_acting)
    response = client.post(act_as_editor_url(pack), {"reason": "Again."})
    assert response.status_code == 302
    assert response["Location"] == page("pack_edit", pack)
    assert StaffAccess.objects.count() == 1


def test_the_step_needs_the_csrf_token(pack, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(act_as_editor_url(pack), {"reason": REASON}).status_code == 403
    assert not StaffAccess.objects.exists()


@pytest.mark.parametrize("person", ["reader", "editor", "approver", "outsider"])
@pytest.mark.parametrize("trust_slug", ["testshire", "nowhere"])
def test_nobody_but_staff_can_use_the_act_as_editor_address(
    request, client, pack, person, trust_slug
):
    user = request.getfixturevalue(person)
    client.force_login(user)
    url = f"/trusts/{trust_slug}/induction/act-as-editor/"
    assert client.post(url, {"reason": REASON}).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(f"{url}stop/").status_code == 403
    assert not StaffAccess.objects.exists()
    assert not AuditEvent.objects.filter(actor=user).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, pack):
    response = client.post(act_as_editor_url(pack), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not StaffAccess.objects.exists()


def test_an_unknown_trust_is_a_404_for_staff(client, pack, staff):
    client.force_login(staff)
    assert (
        client.post("/trusts/nowhere/induction/act-as-editor/", {"reason": REASON}).status_code
        == 404
    )


def test_the_service_refuses_anyone_who_is_not_staff(pack, editor):
    with pytest.raises(PermissionDenied, match="Only platform staff"):
        start_staff_access(pack=pack, user=editor, reason=REASON)
    assert not StaffAccess.objects.exists()


def test_the_service_requires_a_reason(pack, staff):
    with pytest.raises(ValidationError) as refused:
        start_staff_access(pack=pack, user=staff, reason="")
    assert refused.value.message_dict == {
        "reason": ["Enter why you need to change this trust's pack"]
    }


def test_a_staff_access_without_a_reason_cannot_be_stored(pack, staff):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffAccess.objects.create(user=staff, trust=pack.trust, reason="")


# --- what acting allows, until it ends --------------------------------------------------------


def test_staff_acting_as_an_editor_can_edit_until_the_access_ends(client, pack, staff):
    access = act_as_editor(staff, pack.trust)
    client.force_login(staff)
    section = pack.sections.first()
    edit_draft(pack, staff, text="Staff's correction.")
    assert client.get(page("pack_edit", pack)).status_code == 200

    StaffAccess.objects.filter(pk=access.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=5),
        ends_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    response = client.get(page("pack_edit", pack))
    assert response.status_code == 403
    assert "Act as an editor of" in html_of(response)
    fresh = InductionPack.objects.select_related("trust").get(pk=pack.pk)
    section.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_section(
            section=section, user=staff, expected_revision=section.revision, body="Too late."
        )
    assert not fresh.can_edit(staff)


def test_stopping_ends_the_access_at_once_and_is_recorded(client, pack, staff_acting):
    client.force_login(staff_acting)
    response = client.post(page("stop_acting_as_editor", pack))
    assert response.status_code == 302
    assert response["Location"] == page("pack_read", pack)
    access = StaffAccess.objects.get()
    assert access.ended_at is not None
    assert not access.is_active
    event = AuditEvent.objects.get(action=AuditEvent.Action.STAFF_ACCESS_ENDED)
    assert (event.actor, event.changes_draft) == (staff_acting, False)
    assert client.get(page("pack_edit", pack)).status_code == 403
    # Stopping again changes nothing and records nothing.
    client.post(page("stop_acting_as_editor", pack))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_ACCESS_ENDED).count() == 1


def test_stopping_needs_a_post(client, pack, staff_acting):
    client.force_login(staff_acting)
    assert client.get(page("stop_acting_as_editor", pack)).status_code == 405
    assert StaffAccess.objects.get().is_active


def test_access_to_one_trust_gives_nothing_in_another(client, pack, other_pack, staff_acting):
    client.force_login(staff_acting)
    assert client.get(page("pack_edit", other_pack)).status_code == 403
    with pytest.raises(PermissionDenied):
        edit_draft(other_pack, staff_acting)


def test_staff_acting_as_an_editor_edit_and_a_trust_approver_publishes(
    client, pack, staff_acting, approver, media_in_tmp
):
    pack.requires_approval = True
    pack.save()
    client.force_login(staff_acting)
    section = pack.sections.filter(kind="markdown").first()
    edit_draft(pack, staff_acting, text="Staff's correction.")
    pack.refresh_from_db()
    refused = client.post(page("publish", pack), {"revision": pack.draft_revision})
    assert refused.status_code == 200
    assert "Only an approver of this trust can publish this pack" in html_of(refused)
    assert not pack.versions.exists()
    assert pack.eligible_publishers() == [approver]

    client.force_login(approver)
    published = client.post(page("publish", pack), {"revision": pack.draft_revision})
    assert published.status_code == 302
    version = pack.versions.get()
    assert (version.published_by, version.approved_by) == (approver, approver)
    section.refresh_from_db()
    assert "Staff's correction." in json.dumps(version.content)


def test_the_service_stops_access_for_one_trust_only(pack, other_pack, staff):
    act_as_editor(staff, pack.trust)
    act_as_editor(staff, other_pack.trust)
    assert stop_staff_access(pack=pack, user=staff) == 1
    assert list(StaffAccess.objects.active().values_list("trust", flat=True)) == [
        other_pack.trust_id
    ]


# --- the command line -------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_publish_pack_refuses_platform_staff_without_access(pack, staff, editor, media_in_tmp):
    edit_draft(pack, editor)
    with pytest.raises(CommandError, match="Only an editor or approver of this trust"):
        run("publish_pack", "testshire", "--user", "staff")
    assert not pack.versions.exists()


def test_import_pack_refuses_platform_staff_without_access(pack, staff, tmp_path):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"sections": [{"title": "Staff's", "body": "x"}]}))
    before = list(pack.sections.values_list("pk", flat=True))
    with pytest.raises(CommandError, match="Nothing was imported: Only an editor of this trust"):
        run("import_pack", "testshire", str(path), "--user", "staff")
    assert list(pack.sections.values_list("pk", flat=True)) == before


def test_import_pack_as_staff_acting_as_an_editor_is_recorded_as_theirs(
    pack, staff_acting, tmp_path
):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"sections": [{"title": "Welcome", "body": "Hello."}]}))
    run("import_pack", "testshire", str(path), "--user", "acting-staff")
    assert list(pack.sections.values_list("title", flat=True)) == ["Welcome"]
    assert AuditEvent.objects.get(action=AuditEvent.Action.IMPORTED).actor == staff_acting


# --- query budgets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, budget",
    [("pack_edit", 19), ("pack_settings", 9), ("section_add", 9), ("draft_preview", 17)],
)
def test_editor_pages_cost_staff_acting_one_query_more_than_an_editor(
    client, pack, staff_acting, name, budget, django_assert_max_num_queries
):
    """The budgets of tests/induction/test_views_editing.py, plus the one query that finds
    the staff member's access along with their roles."""
    client.force_login(staff_acting)
    with django_assert_max_num_queries(budget):
        assert client.get(page(name, pack)).status_code == 200
