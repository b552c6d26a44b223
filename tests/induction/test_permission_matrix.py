"""Who may use which page, by every method: the full matrix over the induction views.

People: anonymous, a reader, an editor and an approver of the pack's trust, a member of
another trust (editor and approver there), platform staff, and platform staff acting as an
editor of the pack's trust; and people a single sign-on made, who must get exactly what their
roles give: a just-in-time reader as a reader, and one whose Entra ID group maps to editor as
an editor. Each row names a page and a method; the tables say what each person
gets. Anyone refused must leave nothing changed. Platform staff read everything but change
nothing until they act as an editor: their 403 offers that step. Objects of another trust
(sections, versions) are a 404 whatever the URL.
"""

from html import unescape
from urllib.parse import unquote

import pytest

from induction.models import AuditEvent, InductionPack, PackVersion, Section

from .ui_helpers import make_version, page, section_post_data

PEOPLE = ["anonymous", "reader", "editor", "approver", "outsider", "staff", "staff_acting"]
OK = "ok"  # the page's own success: 200 for GET, the redirect after a POST that worked

READ_MEMBERS = {"anonymous": 302, "reader": OK, "editor": OK, "approver": OK, "outsider": 404,
                "staff": OK, "staff_acting": OK}  # fmt: skip
# The reading pages tell anonymous visitors that the pack is for the trust's members (403).
READ_PAGES_MEMBERS = {**READ_MEMBERS, "anonymous": 403}
READ_PUBLIC = dict.fromkeys(PEOPLE, OK)
EDIT = {"anonymous": 302, "reader": 403, "editor": OK, "approver": 403, "outsider": 404,
        "staff": 403, "staff_acting": OK}  # fmt: skip
DRAFT = {**EDIT, "approver": OK}
NOT_ALLOWED = dict.fromkeys(PEOPLE, 405)
# People made by a single sign-on, and whom each must be treated like.
SIGNED_ON = {"sso_reader": "reader", "sso_editor": "editor"}


def _section(pack):
    return pack.sections.filter(kind=Section.Kind.MARKDOWN).first()


def url_for(name, pack):
    if name == "trust_list":
        return "/trusts/"
    if name in ("version_read", "version_restore", "version_whole"):
        return page(name, pack, number=1)
    if name == "pack_section":
        return page(name, pack, position=2)
    if name == "version_section":
        return page(name, pack, number=1, position=2)
    if name in ("section_edit", "section_move", "section_remove"):
        return page(name, pack, section_id=_section(pack).pk)
    return page(name, pack)


def _ids(pack):
    return list(pack.sections.values_list("pk", flat=True))


def post_data(name, pack):
    """A valid submission of each form, so that allowed people really succeed."""
    return {
        "pack_settings": {"title": "New title", "visibility": "members",
                          "review_interval_months": "12", "revision": pack.settings_revision},
        "section_add": {"title": "Car parking", "kind": "markdown"},
        "section_edit": section_post_data(_section(pack), body="Changed."),
        "section_move": {"direction": "down"},
        "sections_order": {"order": _ids(pack)[::-1], "expected_order": _ids(pack)},
        "section_remove": {"revision": _section(pack).revision},
        "publish": {"change_summary": "From the matrix", "revision": pack.draft_revision},
        "version_restore": {"revision": pack.draft_revision},
    }.get(name, {})  # fmt: skip


# (page, method, table for a members-only pack, table for a public pack, success status)
ROWS = [
    ("trust_list", "get", READ_PUBLIC, READ_PUBLIC, 200),
    ("trust_list", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("pack_read", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("pack_read", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("pack_section", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("pack_section", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("pack_whole", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("pack_whole", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("version_read", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("version_read", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("version_section", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("version_section", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("version_whole", "get", READ_PAGES_MEMBERS, READ_PUBLIC, 200),
    ("version_whole", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("history", "get", READ_MEMBERS, READ_PUBLIC, 200),
    ("history", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("compare", "get", READ_MEMBERS, READ_PUBLIC, 200),
    ("compare", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("pack_edit", "get", EDIT, EDIT, 200),
    ("pack_edit", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("draft_preview", "get", DRAFT, DRAFT, 200),
    ("draft_preview", "post", NOT_ALLOWED, NOT_ALLOWED, None),
    ("pack_settings", "get", EDIT, EDIT, 200),
    ("pack_settings", "post", EDIT, EDIT, 302),
    ("section_add", "get", EDIT, EDIT, 200),
    ("section_add", "post", EDIT, EDIT, 302),
    ("section_edit", "get", EDIT, EDIT, 200),
    ("section_edit", "post", EDIT, EDIT, 302),
    ("section_move", "get", NOT_ALLOWED, NOT_ALLOWED, None),
    ("section_move", "post", EDIT, EDIT, 302),
    ("sections_order", "get", NOT_ALLOWED, NOT_ALLOWED, None),
    ("sections_order", "post", EDIT, EDIT, 302),
    ("section_remove", "get", EDIT, EDIT, 200),
    ("section_remove", "post", EDIT, EDIT, 302),
    ("publish", "get", DRAFT, DRAFT, 200),
    ("publish", "post", DRAFT, DRAFT, 302),
    ("version_restore", "get", EDIT, EDIT, 200),
    ("version_restore", "post", EDIT, EDIT, 302),
    ("audit", "get", EDIT, EDIT, 200),
    ("audit", "post", NOT_ALLOWED, NOT_ALLOWED, None),
]


def matrix():
    for name, method, members, public, success in ROWS:
        for visibility, table in (("members", members), ("public", public)):
            for person in [*PEOPLE, *SIGNED_ON]:
                answer = table[SIGNED_ON.get(person, person)]
                expected = success if answer == OK else answer
                yield pytest.param(
                    name, method, visibility, person, expected,
                    id=f"{name}-{method}-{visibility}-{person}",
                )  # fmt: skip


def state(pack):
    """Everything a refused request must leave as it was."""
    pack.refresh_from_db()
    return (
        list(pack.sections.values_list("pk", "title", "body", "order", "revision")),
        list(PackVersion.objects.values_list("pk", flat=True)),
        AuditEvent.objects.count(),
        (pack.title, pack.visibility, pack.requires_approval, pack.review_interval_months),
    )


@pytest.fixture
def people(request, reader, editor, approver, outsider, staff, staff_acting, sso_reader,
           sso_editor):  # fmt: skip
    return {"anonymous": None, "reader": reader, "editor": editor, "approver": approver,
            "outsider": outsider, "staff": staff, "staff_acting": staff_acting,
            "sso_reader": sso_reader, "sso_editor": sso_editor}  # fmt: skip


@pytest.mark.parametrize("name, method, visibility, person, expected", list(matrix()))
def test_permission_matrix(client, pack, other_pack, people, name, method, visibility, person,
                           expected):  # fmt: skip
    pack.visibility = visibility
    pack.save()
    # A version made directly rather than published: publishing is tested on its own, and
    # here it would render a PDF for each of several hundred cases.
    make_version(pack, 1)
    user = people[person]
    if user is not None:
        client.force_login(user)
    url = url_for(name, pack)
    data = post_data(name, pack)
    before = state(pack)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected, response.content.decode()[:2000]
    if expected == 403:
        # Platform staff are offered the audited step; nobody else is.
        offered = "Act as an editor of" in unescape(response.content.decode())
        assert offered is (person == "staff")
    if expected == 403 and person == "anonymous":
        assert "This induction pack is for the trust's members" in unescape(
            response.content.decode()
        )
    if expected == 302 and person == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
        if method == "post":
            # Once signed in they come back to a page, never to an address that answers
            # only POST (a move, a removal, a publish), which would be a 405.
            client.force_login(people["editor"])
            next_page = unquote(response["Location"].split("next=", 1)[1])
            assert client.get(next_page).status_code == 200, next_page
    if response.status_code not in (200, 302) or method == "get":
        assert state(pack) == before
    elif expected == 302 and person != "anonymous":
        # A redirect after a POST that worked: the change was really made, not refused with
        # a message on the next page.
        assert state(pack) != before


def test_refused_member_is_told_who_can_do_it(client, pack, reader):
    client.force_login(reader)
    response = client.get(page("pack_edit", pack))
    assert response.status_code == 403
    assert "Only the trust's editors can change this pack." in unescape(response.content.decode())


SECTION_PAGES = [("section_edit", "get"), ("section_edit", "post"), ("section_remove", "get"),
                 ("section_remove", "post"), ("section_move", "post")]  # fmt: skip


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name, method", SECTION_PAGES)
def test_another_trust_s_section_under_this_trust_is_never_found(
    client, pack, other_pack, people, person, name, method
):
    foreign = other_pack.sections.first()
    user = people[person]
    if user is not None:
        client.force_login(user)
    before = list(other_pack.sections.values_list("pk", "title", "body", "order"))
    data = {"direction": "up", "title": "Hijacked", "body": "x", "revision": foreign.revision}
    foreign_url = page(name, pack, section_id=foreign.pk)
    missing_url = page(name, pack, section_id=foreign.pk + 10_000)
    call = getattr(client, method)
    foreign_response = call(foreign_url, data) if method == "post" else call(foreign_url)
    missing_response = call(missing_url, data) if method == "post" else call(missing_url)
    # The answer does not depend on whether the id exists elsewhere: nothing leaks.
    assert foreign_response.status_code == missing_response.status_code
    if person in ("editor", "staff_acting", "outsider"):
        assert foreign_response.status_code == 404
    if person == "staff":
        # Refused before any section is looked up: the page offers to act as an editor.
        assert foreign_response.status_code == 403
    assert list(other_pack.sections.values_list("pk", "title", "body", "order")) == before


@pytest.mark.parametrize("person", ["editor", "staff_acting", "outsider"])
@pytest.mark.parametrize(
    "name", ["version_read", "version_section", "version_whole", "version_restore"]
)
def test_another_trust_s_version_number_is_not_found_here(
    client, pack, other_pack, people, person, name
):
    make_version(other_pack, 1)
    make_version(other_pack, 2)
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    make_version(pack, 1)
    client.force_login(people[person])
    kwargs = {"position": 2} if name == "version_section" else {}
    assert client.get(page(name, pack, number=2, **kwargs)).status_code == 404
    assert client.post(page("version_restore", pack, number=2)).status_code == 404
