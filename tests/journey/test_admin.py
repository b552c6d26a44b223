"""The journey's rows in the admin: read-only lists for platform staff."""

from django.urls import reverse


def test_staff_read_invitations_in_the_admin_without_the_token_hash(
    client, staff_superuser, send_invitation
):
    invitation, token = send_invitation("listed@example.nhs.uk")
    client.force_login(staff_superuser)
    listing = client.get(reverse("admin:journey_invitation_changelist"))
    assert listing.status_code == 200
    assert "listed@example.nhs.uk" in listing.content.decode()
    assert "Waiting for an answer" in listing.content.decode()
    detail = client.get(reverse("admin:journey_invitation_change", args=[invitation.pk]))
    assert detail.status_code == 200
    assert invitation.token_hash not in detail.content.decode()
    assert client.get(reverse("admin:journey_invitation_add")).status_code == 403
