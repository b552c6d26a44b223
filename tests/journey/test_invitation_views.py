"""The invitation pages: the editors' list, invite form and Revoke buttons; and the invited
person's link page in each of its states (waiting, expired, used, revoked or unknown), making
an account there, signing in and coming back, and accepting."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from induction.models import AuditEvent, Membership
from journey import invitations
from journey.models import Invitation

from .conftest import link_in

PASSWORD = "Correct-Horse-Battery-9"
START = timezone.localdate() + datetime.timedelta(days=30)


def text(response) -> str:
    return unescape(response.content.decode())


def list_url(pack):
    return reverse("journey:invitations", kwargs={"slug": pack.trust.slug})


def invite_url(pack):
    return reverse("journey:invite", kwargs={"slug": pack.trust.slug})


def revoke_url(pack, invitation):
    kwargs = {"slug": pack.trust.slug, "invitation_id": invitation.pk}
    return reverse("journey:invitation_revoke", kwargs=kwargs)


def link(token):
    return reverse("invitations:invitation", kwargs={"token": token})


def accept_url(token):
    return reverse("invitations:accept", kwargs={"token": token})


def account_data(**fields):
    return {"first_name": "Robin", "last_name": "Ng", "password": PASSWORD,
            "password_again": PASSWORD, **fields}  # fmt: skip


# --- the editors' pages --------------------------------------------------------------------


def test_the_list_shows_each_invitation_s_status_and_revoke_only_for_waiting_ones(
    client, pack, editor, send_invitation, make_user, other_pack, outsider
):
    waiting, _ = send_invitation("waiting@example.nhs.uk")
    accepted, _ = send_invitation("accepted@example.nhs.uk")
    invitations.accept_invitation(
        accepted, make_user("accepter", email="accepted@example.nhs.uk")
    )
    expired, _ = send_invitation("expired@example.nhs.uk")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked, _ = send_invitation("revoked@example.nhs.uk")
    invitations.revoke(pack=pack, user=editor, invitation=revoked)
    invitations.invite(pack=other_pack, user=outsider, email="elsewhere@example.nhs.uk",
                       role="reader")  # fmt: skip
    client.force_login(editor)
    response = client.get(list_url(pack))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = text(response)
    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', html, re.S)[1:]
    found = {re.search(r"[\w.]+@example\.nhs\.uk", row).group(): row for row in rows}
    assert set(found) == {"waiting@example.nhs.uk", "accepted@example.nhs.uk",
                          "expired@example.nhs.uk", "revoked@example.nhs.uk"}  # fmt: skip
    assert "Waiting" in found["waiting@example.nhs.uk"]
    assert "Accepted" in found["accepted@example.nhs.uk"]
    assert "Expired" in found["expired@example.nhs.uk"]
    assert "Revoked" in found["revoked@example.nhs.uk"]
    revokes = [email for email, row in found.items() if ">Revoke<" in row]
    assert revokes == ["waiting@example.nhs.uk"]
    assert revoke_url(pack, waiting) in html
    assert "csrfmiddlewaretoken" in found["waiting@example.nhs.uk"]


def test_an_editor_invites_through_the_form_and_the_e_mail_goes_after_commit(
    client, pack, editor, national, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = client.get(invite_url(pack))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Medical Director" in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(pack), {
            "email": "robin@example.nhs.uk", "role": "reader", "board_role": str(national.pk),
            "start_date_day": START.day, "start_date_month": START.month,
            "start_date_year": START.year,
        })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == list_url(pack)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.board_role, invitation.start_date) == (
        "robin@example.nhs.uk", "reader", national, START
    )  # fmt: skip
    [message] = mail.outbox
    assert message.to == ["robin@example.nhs.uk"]
    followed = client.get(list_url(pack))
    assert "Sent an invitation to robin@example.nhs.uk" in text(followed)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "robin at example"}, "Enter an e-mail address in the correct format"),
        ({"email": ""}, "Enter their e-mail address"),
        ({"role": ""}, "Choose what they will be able to do"),
        ({"board_role": "BOARD", "start_date_day": "1", "start_date_month": "1",
          "start_date_year": "1990"}, "Enter a start date between"),
        ({"board_role": "BOARD", "start_date_day": "1", "start_date_month": "1",
          "start_date_year": "2990"}, "Enter a start date between"),
        ({"board_role": "BOARD"}, "Enter the date they start in the board role"),
        ({"start_date_day": "31", "start_date_month": "2", "start_date_year": "2027"},
         "Enter a real date"),
    ],
)  # fmt: skip
def test_bad_input_comes_back_with_an_error_summary_and_nothing_sent(
    client, pack, editor, national, data, message
):
    client.force_login(editor)
    fields = {"email": "robin@example.nhs.uk", "role": "reader", **data}
    if fields.get("board_role") == "BOARD":
        fields["board_role"] = str(national.pk)
    response = client.post(invite_url(pack), fields)
    assert response.status_code == 400
    html = text(response)
    assert "There is a problem" in html and message in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert not Invitation.objects.exists() and mail.outbox == []


def test_over_the_daily_limit_the_form_says_so(client, pack, editor, settings, send_invitation):
    settings.INVITATIONS_PER_EDITOR_PER_DAY = 1
    send_invitation("first@example.nhs.uk")
    client.force_login(editor)
    response = client.post(invite_url(pack), {"email": "second@example.nhs.uk", "role": "reader"})
    assert response.status_code == 400
    assert "You have sent 1 invitations in the last 24 hours" in text(response)
    assert Invitation.objects.count() == 1


def test_revoking_from_the_list(client, pack, editor, send_invitation):
    invitation, token = send_invitation("gone@example.nhs.uk")
    client.force_login(editor)
    response = client.post(revoke_url(pack, invitation), follow=True)
    assert "Revoked the invitation of gone@example.nhs.uk" in text(response)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_REVOKED).count() == 1
    again = client.post(revoke_url(pack, invitation), follow=True)
    assert "is revoked already: there is nothing to revoke" in text(again)


def test_another_trust_s_invitation_is_not_found_under_this_trust(
    client, pack, other_pack, editor, outsider
):
    theirs = invitations.invite(pack=other_pack, user=outsider, email="x@example.nhs.uk",
                                role="reader")  # fmt: skip
    client.force_login(editor)
    assert client.post(revoke_url(pack, theirs)).status_code == 404
    missing = Invitation(pk=theirs.pk + 1000)
    assert client.post(revoke_url(pack, missing)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_pending


def test_the_dashboard_links_editors_to_invitations(client, pack, editor, approver):
    client.force_login(editor)
    html = text(client.get(reverse("journey:dashboard", kwargs={"slug": pack.trust.slug})))
    assert invite_url(pack) in html and list_url(pack) in html
    client.force_login(approver)
    html = text(client.get(reverse("journey:dashboard", kwargs={"slug": pack.trust.slug})))
    assert invite_url(pack) not in html


def test_the_audit_trail_shows_invitations(client, pack, editor, send_invitation):
    send_invitation("robin@example.nhs.uk")
    client.force_login(editor)
    html = text(client.get(reverse("induction:audit", kwargs={"slug": pack.trust.slug})))
    assert "Invited someone to join the trust" in html
    assert "Invited robin@example.nhs.uk as a reader" in html


# --- the invited person's pages ------------------------------------------------------------


def test_the_link_shows_the_invitation_and_a_form_to_make_an_account(
    client, pack, send_invitation, national
):
    _, token = send_invitation(board_role_id=national.pk, start_date=START)
    response = client.get(link(token))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = text(response)
    assert "Join Testshire Hospitals NHS Foundation Trust" in html
    assert "new.member@example.nhs.uk" in html
    assert "A reader: you can read the trust's induction pack" in html
    assert f"Medical Director, starting on {START:%-d %B %Y}" in html
    assert "Create your account" in html and 'name="password_again"' in html
    assert f'href="/accounts/login/?next={link(token)}"' in html


def test_making_an_account_signs_in_and_accepts(client, pack, send_invitation, national):
    invitation, token = send_invitation(board_role_id=national.pk, start_date=START)
    response = client.post(link(token), account_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("induction:pack_read", kwargs={"slug": "testshire"})
    user = get_user_model().objects.get(username="new.member@example.nhs.uk")
    assert (user.email, user.first_name, user.last_name) == (
        "new.member@example.nhs.uk", "Robin", "Ng"
    )  # fmt: skip
    assert user.check_password(PASSWORD)
    assert set(user.memberships.values_list("trust", "role", "board_role", "start_date")) == {
        (pack.trust_id, "reader", national.pk, START)
    }
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    followed = client.get(response["Location"])
    assert followed.wsgi_request.user == user
    assert "You have joined Testshire Hospitals NHS Foundation Trust as a reader." in text(
        followed
    )


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"password_again": "Something-else-9"}, "The passwords do not match"),
        ({"password": "short", "password_again": "short"}, "too short"),
        ({"password": "password123", "password_again": "password123"}, "too common"),
        ({"password": "new.member.example", "password_again": "new.member.example"},
         "too similar"),
        ({"first_name": ""}, "Enter your first name"),
    ],
)  # fmt: skip
def test_a_bad_account_form_makes_no_account_and_leaves_the_invitation_waiting(
    client, send_invitation, fields, message
):
    invitation, token = send_invitation()
    response = client.post(link(token), account_data(**fields))
    assert response.status_code == 400
    assert message in text(response)
    assert not get_user_model().objects.filter(email="new.member@example.nhs.uk").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert "_auth_user_id" not in client.session


def test_with_an_account_already_the_page_asks_them_to_sign_in_and_come_back(
    client, send_invitation, make_user, pack
):
    _, token = send_invitation()
    make_user("robin", email="New.Member@example.nhs.uk")
    response = client.get(link(token))
    html = text(response)
    assert "Sign in to accept" in html and 'name="password_again"' not in html
    # A posted account form makes no second account for the address.
    client.post(link(token), account_data())
    assert get_user_model().objects.filter(email__iexact="new.member@example.nhs.uk").count() == 1
    # Signing in brings them back to the link, where they accept.
    signed_in = client.post(
        "/accounts/login/", {"username": "robin", "password": "password", "next": link(token)}
    )
    assert signed_in["Location"] == link(token)
    page = text(client.get(link(token)))
    assert "Accept the invitation" in page and f'action="{accept_url(token)}"' in page
    accepted = client.post(accept_url(token))
    assert accepted.status_code == 302
    assert pack.is_member(get_user_model().objects.get(username="robin"))


def test_someone_signed_in_with_another_address_is_told_and_cannot_accept(
    client, send_invitation, reader, pack
):
    invitation, token = send_invitation()
    reader.email = "reader@example.nhs.uk"
    reader.save()
    client.force_login(reader)
    page = client.get(link(token))
    html = text(page)
    assert page.status_code == 200
    assert "different e-mail address" in html and "Sign out" in html
    assert "Accept the invitation" not in html
    response = client.post(accept_url(token))
    assert response.status_code == 403
    assert "different e-mail address" in text(response)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert list(reader.memberships.values_list("role", flat=True)) == ["reader"]


def test_accepting_twice_is_refused_saying_it_was_used(client, send_invitation, make_user, pack):
    _, token = send_invitation()
    person = make_user("robin", email="new.member@example.nhs.uk")
    client.force_login(person)
    assert client.post(accept_url(token)).status_code == 302
    again = client.post(accept_url(token))
    assert again.status_code == 410
    assert "This invitation has been used" in text(again)
    assert "You accepted this invitation on" in text(again)
    assert Membership.objects.filter(user=person).count() == 1
    client.logout()
    page = client.get(link(token))
    assert page.status_code == 410 and "Each invitation link works once" in text(page)
    # Nobody can make an account with a used link.
    assert client.post(link(token), account_data()).status_code == 410


def test_an_expired_link_says_so_and_whom_to_ask(client, send_invitation, editor):
    invitation, token = send_invitation()
    editor.first_name, editor.last_name = "Priya", "Shah"
    editor.save()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(link(token))
    assert response.status_code == 410
    html = text(response)
    assert "This invitation has expired" in html
    assert "Ask Priya Shah, who invited you" in html
    assert "Testshire Hospitals NHS Foundation Trust" in html
    assert client.post(link(token), account_data()).status_code == 410
    assert not get_user_model().objects.filter(username="new.member@example.nhs.uk").exists()


def _as_seen(response):
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_revoked_link_reads_exactly_like_an_unknown_one(
    client, pack, editor, send_invitation, reader, signed_in
):
    invitation, token = send_invitation()
    invitations.revoke(pack=pack, user=editor, invitation=invitation)
    if signed_in:
        client.force_login(reader)
    unknown = "x" * len(token)
    revoked_page, unknown_page = client.get(link(token)), client.get(link(unknown))
    assert _as_seen(revoked_page) == _as_seen(unknown_page)
    assert revoked_page.status_code == 404
    assert "This invitation link does not work" in text(revoked_page)
    assert "Testshire" not in text(revoked_page) and "new.member" not in text(revoked_page)
    assert revoked_page["Cache-Control"] == "no-store"
    assert _as_seen(client.post(accept_url(token))) == _as_seen(client.post(accept_url(unknown)))


def test_signed_out_accept_goes_back_to_the_link_page(client, send_invitation):
    _, token = send_invitation()
    response = client.post(accept_url(token))
    assert response.status_code == 302 and response["Location"] == link(token)


def test_accept_answers_only_post(client, send_invitation):
    _, token = send_invitation()
    assert client.get(accept_url(token)).status_code == 405


def test_the_link_in_the_e_mail_is_the_link_page(client, send_invitation):
    _, token = send_invitation()
    path, _ = link_in(mail.outbox[-1])
    assert path == link(token)
    assert client.get(path).status_code == 200
