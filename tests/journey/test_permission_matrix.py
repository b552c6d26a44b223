"""Who may use each journey page, by every method, for a members-only and a public pack.

People: anonymous, a reader, the inductee (a reader being inducted as Medical Director), an
editor and an approver of the pack's trust, a member of another trust, platform staff, and
platform staff acting as an editor, and people a single sign-on made (a just-in-time reader,
and a reader whose Entra ID group makes them an editor), who get what their roles give. Anyone
refused leaves nothing changed; a member of another
trust gets a 404 even for a public pack, so no trust's records are readable from another.
"""

from html import unescape

import pytest
from django.urls import reverse

from induction.models import Membership
from journey import invitations
from journey.models import Acknowledgement, ChecklistTick, Invitation

from .conftest import step_keys, version_with_checklist

PEOPLE = ["anonymous", "reader", "inductee", "editor", "approver", "outsider", "staff",
          "staff_acting"]  # fmt: skip
OK = "ok"

OWN_RECORD = {"anonymous": 302, "reader": 403, "inductee": OK, "editor": 403, "approver": 403,
              "outsider": 404, "staff": 403, "staff_acting": 403}  # fmt: skip
MEMBERS = {"anonymous": 302, "reader": OK, "inductee": OK, "editor": OK, "approver": OK,
           "outsider": 404, "staff": 403, "staff_acting": OK}  # fmt: skip
EDITORS_AND_APPROVERS = {"anonymous": 302, "reader": 403, "inductee": 403, "editor": OK,
                         "approver": OK, "outsider": 404, "staff": 403,
                         "staff_acting": OK}  # fmt: skip
EDITORS = {**EDITORS_AND_APPROVERS, "approver": 403}
NOT_ALLOWED = dict.fromkeys(PEOPLE, 405)
# People made by a single sign-on, and whom each must be treated like.
SIGNED_ON = {"sso_reader": "reader", "sso_editor": "editor"}

# (page, method, table, success status); the tables hold for members-only and public packs.
ROWS = [
    ("my_induction", "get", OWN_RECORD, 200),
    ("my_induction", "post", OWN_RECORD, 302),
    ("my_induction", "put", NOT_ALLOWED, None),
    ("acknowledge", "get", NOT_ALLOWED, None),
    ("acknowledge", "post", MEMBERS, 302),
    ("dashboard", "get", EDITORS_AND_APPROVERS, 200),
    ("dashboard", "post", NOT_ALLOWED, None),
    ("dashboard_csv", "get", EDITORS_AND_APPROVERS, 200),
    ("dashboard_csv", "post", NOT_ALLOWED, None),
    ("member_induction", "get", EDITORS, 200),
    ("member_induction", "post", EDITORS, 302),
    ("member_roles", "get", EDITORS, 200),
    ("member_roles", "post", EDITORS, 302),
    ("member_remove", "get", EDITORS, 200),
    ("member_remove", "post", EDITORS, 302),
    ("invitations", "get", EDITORS, 200),
    ("invitations", "post", NOT_ALLOWED, None),
    ("invite", "get", EDITORS, 200),
    ("invite", "post", EDITORS, 302),
    ("invitation_revoke", "get", NOT_ALLOWED, None),
    ("invitation_revoke", "post", EDITORS, 302),
]
# Pages whose refusal offers platform staff the audited step of acting as an editor.
OFFERS_STAFF_ACCESS = {"dashboard", "dashboard_csv", "member_induction", "member_roles",
                       "member_remove", "invitations", "invite", "invitation_revoke"}  # fmt: skip


def matrix():
    for name, method, table, success in ROWS:
        for visibility in ("members", "public"):
            for person in [*PEOPLE, *SIGNED_ON]:
                answer = table[SIGNED_ON.get(person, person)]
                expected = success if answer == OK else answer
                yield pytest.param(
                    name, method, visibility, person, expected,
                    id=f"{name}-{method}-{visibility}-{person}",
                )  # fmt: skip


@pytest.fixture
def people(reader, inductee, editor, approver, outsider, staff, staff_acting, sso_reader,
           sso_editor):  # fmt: skip
    return {"anonymous": None, "reader": reader, "inductee": inductee, "editor": editor,
            "approver": approver, "outsider": outsider, "staff": staff,
            "staff_acting": staff_acting, "sso_reader": sso_reader,
            "sso_editor": sso_editor}  # fmt: skip


def url_for(name, pack, reader, invitation=None):
    kwargs = {"slug": pack.trust.slug}
    if name.startswith("member_"):
        kwargs["user_id"] = reader.pk
    if name == "invitation_revoke":
        kwargs["invitation_id"] = invitation.pk
    return reverse(f"journey:{name}", kwargs=kwargs)


def post_data(name, version, national):
    return {
        "my_induction": {"step": step_keys(version)[0], "done": "yes"},
        "acknowledge": {"version": "1"},
        "member_induction": {"board_role": str(national.pk), "start_date_day": "1",
                             "start_date_month": "3", "start_date_year": "2027"},
        "member_roles": {"roles": ["reader", "approver"]},
        "invite": {"email": "invited@example.nhs.uk", "role": "reader"},
    }.get(name, {})  # fmt: skip


def state():
    """Everything a refused request must leave as it was."""
    return (
        list(ChecklistTick.objects.values_list("user", "pack", "item_key")),
        list(Acknowledgement.objects.values_list("user", "version")),
        list(Membership.objects.order_by("pk").values_list("pk", "board_role", "start_date")),
        list(Invitation.objects.order_by("pk").values_list("pk", "revoked_at", "accepted_at")),
    )


@pytest.mark.parametrize("name, method, visibility, person, expected", list(matrix()))
def test_permission_matrix(client, pack, other_pack, people, national, name, method, visibility,
                           person, expected):  # fmt: skip
    pack.visibility = visibility
    pack.save()
    version = version_with_checklist(pack)
    waiting = invitations.invite(
        pack=pack, user=people["editor"], email="waiting@example.nhs.uk", role="reader"
    )
    user = people[person]
    if user is not None:
        client.force_login(user)
    url = url_for(name, pack, people["reader"], waiting)
    before = state()
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, post_data(name, version, national))
    assert response.status_code == expected, response.content.decode()[:2000]
    if expected == 403:
        offered = "Act as an editor of" in unescape(response.content.decode())
        assert offered is (person == "staff" and name in OFFERS_STAFF_ACCESS)
    if expected == 302 and person == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    if method == "get" or response.status_code != 302 or person == "anonymous":
        assert state() == before
    else:
        # A redirect after a POST that worked: the change was really made.
        assert state() != before
    if response.status_code in (200, 302) and method == "get" and person != "anonymous":
        assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", ["my_induction", "dashboard", "dashboard_csv"])
def test_one_trust_s_records_are_never_readable_from_another(
    client, pack, other_pack, outsider, inductee, national, name
):
    """The other trust's editor, who has a dashboard of their own, cannot read this one's, and
    their own pages never show this trust's people."""
    Membership.objects.filter(user=outsider).update(board_role=national)
    version_with_checklist(pack)
    version_with_checklist(other_pack)
    pack.visibility = "public"
    pack.save()
    client.force_login(outsider)
    assert (
        client.get(reverse(f"journey:{name}", kwargs={"slug": pack.trust.slug})).status_code == 404
    )
    own = client.get(reverse(f"journey:{name}", kwargs={"slug": other_pack.trust.slug}))
    assert own.status_code == 200
    assert "new-md" not in own.content.decode() and "Asha" not in own.content.decode()


# --- the invited person's pages: the token, not a trust, is the key ------------------------

LINK_PAGE = {"anonymous": 200, "reader": 200, "inductee": 200, "editor": 200,
             "approver": 200, "outsider": 200, "staff": 200, "staff_acting": 200}  # fmt: skip
# Accepting needs the invited address: everyone here has another (or none), or sent it.
ACCEPT = {"anonymous": 302, "reader": 403, "inductee": 403, "editor": 403, "approver": 403,
          "outsider": 403, "staff": 403, "staff_acting": 403}  # fmt: skip


@pytest.mark.parametrize("person", PEOPLE)
def test_nobody_but_the_invited_address_accepts(client, pack, people, person):
    invitation = invitations.invite(
        pack=pack, user=people["editor"], email="invited@example.nhs.uk", role="editor"
    )
    from journey.invitations import hash_of

    token = "matrix-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_of(token))
    user = people[person]
    if user is not None:
        client.force_login(user)
    before = state()
    link = reverse("invitations:invitation", kwargs={"token": token})
    page = client.get(link)
    assert page.status_code == LINK_PAGE[person]
    assert page["Cache-Control"] == "no-store"
    response = client.post(reverse("invitations:accept", kwargs={"token": token}))
    assert response.status_code == ACCEPT[person]
    assert state() == before
