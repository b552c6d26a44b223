"""Memberships changed in the admin are in the trust's audit trail, as they are when changed
through the portal's member pages: a role given or taken away, a new board role or start date,
and removals one by one or several at once."""

import datetime

from django.urls import reverse

from induction.models import AuditEvent, Membership


def trail(trust):
    return list(
        AuditEvent.objects.filter(trust=trust, pack=None)
        .order_by("pk")
        .values_list("action", "detail", "actor__username")
    )


def test_a_membership_added_in_the_admin_is_in_the_trail(client, trust, make_user, staff_superuser):
    person = make_user("priya")
    client.force_login(staff_superuser)
    response = client.post(
        reverse("admin:induction_membership_add"),
        {
            "user": person.pk,
            "trust": trust.pk,
            "role": "editor",
            "board_role": "",
            "start_date": "",
        },
    )
    assert response.status_code == 302
    assert trail(trust) == [
        (
            AuditEvent.Action.MEMBER_ROLES_CHANGED,
            "priya: given the editor role in the admin",
            staff_superuser.username,
        )
    ]


def test_a_new_start_date_and_a_removal_in_the_admin_are_in_the_trail(
    client, trust, reader, staff_superuser, national
):
    membership = Membership.objects.get(user=reader, trust=trust)
    client.force_login(staff_superuser)
    url = reverse("admin:induction_membership_change", args=[membership.pk])
    response = client.post(
        url, {"role": "reader", "board_role": national.pk, "start_date": "2027-01-04"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.start_date == datetime.date(2027, 1, 4)
    response = client.post(
        reverse("admin:induction_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert [(action, detail) for action, detail, _ in trail(trust)] == [
        (
            AuditEvent.Action.MEMBER_INDUCTION_CHANGED,
            f"{reader.username}: board role Medical Director, start date 4 January 2027, "
            "set in the admin",
        ),
        (AuditEvent.Action.MEMBER_REMOVED, f"Removed {reader.username} (reader) in the admin"),
    ]


def test_saving_a_membership_unchanged_writes_nothing(client, trust, reader, staff_superuser):
    membership = Membership.objects.get(user=reader, trust=trust)
    client.force_login(staff_superuser)
    client.post(
        reverse("admin:induction_membership_change", args=[membership.pk]),
        {"role": "reader", "board_role": "", "start_date": ""},
    )
    assert trail(trust) == []


def test_memberships_removed_together_are_each_in_the_trail(
    client, trust, reader, editor, staff_superuser
):
    chosen = Membership.objects.filter(trust=trust, user__in=[reader, editor])
    client.force_login(staff_superuser)
    response = client.post(
        reverse("admin:induction_membership_changelist"),
        {
            "action": "delete_selected",
            "select_across": "0",
            "index": "0",
            "_selected_action": [m.pk for m in chosen],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(trust=trust, user__in=[reader, editor]).exists()
    assert sorted(detail for _, detail, _ in trail(trust)) == [
        f"Removed {editor.username} (editor) in the admin",
        f"Removed {reader.username} (reader) in the admin",
    ]


def test_memberships_changed_on_the_trust_s_page_are_in_the_trail(
    client, trust, reader, make_user, staff_superuser
):
    person = make_user("tomasz")
    membership = Membership.objects.get(user=reader, trust=trust)
    client.force_login(staff_superuser)
    data = {
        "name": trust.name,
        "slug": trust.slug,
        "ods_code": trust.ods_code,
        "kind": trust.kind,
        "region": trust.region,
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk,
        "memberships-0-trust": trust.pk,
        "memberships-0-user": reader.pk,
        "memberships-0-role": "reader",
        "memberships-0-DELETE": "on",
        "memberships-1-trust": trust.pk,
        "memberships-1-user": person.pk,
        "memberships-1-role": "approver",
    }
    response = client.post(reverse("admin:induction_trust_change", args=[trust.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(detail for _, detail, _ in trail(trust)) == [
        f"Removed {reader.username} (reader) in the admin",
        "tomasz: given the approver role in the admin",
    ]
