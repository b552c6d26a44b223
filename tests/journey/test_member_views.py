"""The editor's pages about one member: their roles, and removing them, with the refusals
shown in words (their own roles, the trust's only editor) and each change audited."""

from html import unescape

from django.urls import reverse

from induction.models import AuditEvent, Membership


def url(name, pack, member):
    return reverse(f"journey:{name}", kwargs={"slug": pack.trust.slug, "user_id": member.pk})


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_member_page_shows_their_roles_with_links_to_change_them_or_remove_them(
    client, pack, editor, editor_approver
):
    client.force_login(editor)
    html = text(client.get(url("member_induction", pack, editor_approver)))
    assert "Editor and approver" in html
    assert url("member_roles", pack, editor_approver) in html
    assert "Remove hr-admin from Testshire Hospitals NHS Foundation Trust" in html


def test_on_their_own_page_an_editor_is_offered_to_leave_not_to_change_their_roles(
    client, pack, editor
):
    client.force_login(editor)
    html = text(client.get(url("member_induction", pack, editor)))
    assert url("member_roles", pack, editor) not in html
    assert "Another editor can change your roles" in html
    assert "Leave Testshire Hospitals NHS Foundation Trust" in html
    response = client.get(url("member_roles", pack, editor))
    assert response.status_code == 403
    assert "You cannot change your own roles" in text(response)


def test_an_editor_changes_a_member_s_roles(client, pack, editor, reader):
    client.force_login(editor)
    page = client.get(url("member_roles", pack, reader))
    assert page.status_code == 200 and 'value="reader" checked' in page.content.decode()
    response = client.post(url("member_roles", pack, reader), {"roles": ["reader", "approver"]})
    assert response.status_code == 302
    assert response["Location"] == url("member_induction", pack, reader)
    assert set(reader.memberships.values_list("role", flat=True)) == {"reader", "approver"}
    assert "Saved the roles of reader." in text(client.get(response["Location"]))
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_ROLES_CHANGED)
    assert event.detail == "reader: reader and approver (was: reader)"


def test_no_role_ticked_is_refused_with_what_to_do(client, pack, editor, reader):
    client.force_login(editor)
    response = client.post(url("member_roles", pack, reader), {})
    assert response.status_code == 400
    assert "Choose at least one role, or remove them from the trust" in text(response)
    assert list(reader.memberships.values_list("role", flat=True)) == ["reader"]


def test_an_editor_removes_a_member_after_confirming(client, pack, editor, reader):
    client.force_login(editor)
    page = client.get(url("member_remove", pack, reader))
    assert page.status_code == 200
    assert "Remove reader from Testshire Hospitals NHS Foundation Trust?" in text(page)
    response = client.post(url("member_remove", pack, reader))
    assert response.status_code == 302
    assert response["Location"] == reverse("journey:dashboard", kwargs={"slug": "testshire"})
    assert not reader.memberships.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_REMOVED).count() == 1
    assert client.get(url("member_induction", pack, reader)).status_code == 404


def test_the_only_editor_cannot_leave_and_is_told_why(client, pack, editor, reader):
    client.force_login(editor)
    response = client.post(url("member_remove", pack, editor))
    assert response.status_code == 400
    assert "editor is the trust's only editor" in text(response)
    assert editor.memberships.filter(role=Membership.Role.EDITOR).exists()


def test_an_editor_who_leaves_lands_on_the_home_page(client, pack, editor, second_editor):
    client.force_login(editor)
    response = client.post(url("member_remove", pack, editor))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not editor.memberships.exists()


def test_another_trust_s_member_is_not_found_for_roles_or_removal(
    client, pack, editor, outsider
):
    client.force_login(editor)
    for name in ("member_roles", "member_remove"):
        assert client.get(url(name, pack, outsider)).status_code == 404
        assert client.post(url(name, pack, outsider), {"roles": ["reader"]}).status_code == 404
    assert outsider.memberships.count() == 2
