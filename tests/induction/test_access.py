"""Access control: which pack a URL finds for whom, and what each kind of page lets them do.

The permission matrix (test_permission_matrix.py) requests every page as every kind of
person; these tests pin down each rule on its own, quickly, so that breaking one is noticed.
"""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from induction.baseline import create_pack_from_baseline
from induction.models import InductionPack, StaffAccess, Trust
from roles.models import Role

from .ui_helpers import make_version, page


@pytest.fixture
def public_pack(pack):
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    return pack


# --- a trust with more than one pack ----------------------------------------------------------


@pytest.fixture
def chair_then_medical_director(national, trust):
    """A trust whose Chair pack was made before its Medical Director pack, both public and
    published, so that neither the order of creation nor the reverse of the national order
    would find the Medical Director's."""
    chair = create_pack_from_baseline(
        trust=trust, board_role=Role.objects.get(slug="chair"), title="Chair's induction"
    )
    medical_director = create_pack_from_baseline(trust=trust)
    for made in (chair, medical_director):
        made.visibility = InductionPack.Visibility.PUBLIC
        made.save()
    make_version(chair, 1, change_summary="The Chair's pack")
    make_version(medical_director, 1, change_summary="The Medical Director's pack")
    assert chair.pk < medical_director.pk
    return chair, medical_director


def test_a_trust_with_two_packs_serves_the_first_board_role_s_pack(
    client, chair_then_medical_director
):
    _, medical_director = chair_then_medical_director
    response = client.get("/trusts/testshire/induction/")
    assert response.context["pack"] == medical_director
    assert response.context["version"].change_summary == "The Medical Director's pack"


def test_a_trust_with_two_packs_edits_the_first_board_role_s_pack(
    client, chair_then_medical_director, editor
):
    _, medical_director = chair_then_medical_director
    client.force_login(editor)
    response = client.get("/trusts/testshire/induction/edit/")
    assert response.status_code == 200
    assert response.context["pack"] == medical_director


# --- which pack a URL finds -------------------------------------------------------------------


def test_a_url_finds_only_the_trust_it_names(client, public_pack, other_pack, outsider):
    """An editor of another trust gets a 404 on this trust's editing pages, not their own
    trust's pack under this trust's address."""
    client.force_login(outsider)
    assert client.get(page("pack_edit", public_pack)).status_code == 404


def test_management_pages_of_a_public_pack_are_a_404_for_outsiders(client, public_pack, outsider):
    client.force_login(outsider)
    for name in ("pack_edit", "publish", "audit", "pack_settings"):
        assert client.get(page(name, public_pack)).status_code == 404, name


def test_a_public_pack_is_readable_by_outsiders(client, public_pack, outsider):
    make_version(public_pack, 1)
    client.force_login(outsider)
    assert client.get(page("pack_read", public_pack)).status_code == 200


def test_a_signed_in_outsider_is_not_sent_to_sign_in_again(client, pack, outsider):
    client.force_login(outsider)
    response = client.get(page("pack_edit", pack))
    assert response.status_code == 404


# --- what each kind of page allows --------------------------------------------------------------


def test_approvers_see_the_draft_and_publish_page_but_not_the_editor(client, pack, approver):
    client.force_login(approver)
    assert client.get(page("publish", pack)).status_code == 200
    assert client.get(page("draft_preview", pack)).status_code == 200
    response = client.get(page("pack_edit", pack))
    assert response.status_code == 403
    assert "Only the trust's editors can change this pack." in unescape(response.content.decode())


def test_only_editors_read_the_audit_trail(client, pack, approver, editor):
    client.force_login(approver)
    response = client.get(page("audit", pack))
    assert response.status_code == 403
    assert "Only the trust's editors can read the audit trail" in unescape(
        response.content.decode()
    )
    client.force_login(editor)
    assert client.get(page("audit", pack)).status_code == 200


def test_a_reader_refused_the_draft_gets_403_saying_who_can(client, pack, reader):
    client.force_login(reader)
    response = client.get(page("publish", pack))
    assert response.status_code == 403
    assert "Only the trust's editors and approvers can see the draft" in unescape(
        response.content.decode()
    )


# --- the permission methods and querysets -------------------------------------------------------


def test_check_can_edit_refuses_approvers_and_readers(pack, editor, approver, reader):
    pack.check_can_edit(editor)
    for person in (approver, reader):
        with pytest.raises(PermissionDenied, match="Only an editor of this trust"):
            pack.check_can_edit(person)


def test_roles_are_cached_per_person_not_per_pack(pack, editor, reader):
    """One pack object asked about two people answers for each of them."""
    assert pack.can_edit(editor) is True
    assert pack.can_edit(reader) is False
    assert pack.is_member(reader) is True


def test_nobody_who_is_not_an_editor_may_edit_any_pack(
    pack, other_pack, reader, approver, anonymous, make_user
):
    stranger = make_user("stranger")
    for person in (reader, approver, anonymous, stranger):
        assert not InductionPack.objects.editable_by(person).exists(), person


def test_anonymous_visitors_belong_to_no_trust(trust, anonymous):
    assert not Trust.objects.for_user(anonymous).exists()
    assert Trust.objects.filter(pk=trust.pk).exists()


# --- platform staff: readers by rank, editors only while acting as one ----------------------------


def acting(staff, trust, **times):
    return StaffAccess.objects.create(
        user=staff, trust=trust, reason="The trust asked for help with its pack.", **times
    )


def test_platform_staff_edit_and_approve_nothing_by_rank(pack, other_pack, staff):
    assert pack.can_read(staff)
    assert not pack.can_edit(staff)
    assert not pack.can_approve(staff)
    assert not InductionPack.objects.editable_by(staff).exists()


def test_staff_acting_as_an_editor_edit_that_trust_only_and_never_approve(pack, other_pack, staff):
    acting(staff, pack.trust)
    assert list(InductionPack.objects.editable_by(staff)) == [pack]
    pack = InductionPack.objects.get(pk=pack.pk)
    other = InductionPack.objects.get(pk=other_pack.pk)
    assert pack.can_edit(staff) and not pack.can_approve(staff)
    assert not other.can_edit(staff)


def test_staff_whose_access_ended_or_ran_out_edit_nothing(pack, staff):
    now = timezone.now()
    acting(staff, pack.trust, ended_at=now)
    acting(
        staff,
        pack.trust,
        started_at=now - datetime.timedelta(hours=10),
        ends_at=now - datetime.timedelta(hours=1),
    )
    assert not InductionPack.objects.editable_by(staff).exists()
    assert not InductionPack.objects.get(pk=pack.pk).can_edit(staff)


# --- the same answer for a members-only trust and one that does not exist ----------------------


def _trust_addresses():
    """Every address under /trusts/<slug>/ (the induction and journey apps), as patterns."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif "slug" in str(entry.pattern):
                found.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "/")
    # Only the trusts' own addresses: not, say, the test OpenID provider's.
    return [pattern for pattern in found if pattern.startswith("/trusts/")]


def _address(pattern, slug):
    address = re.sub(r"\(\?P<slug>[^)]*\)", slug, pattern.replace("^", "").replace("$", ""))
    address = address.replace("<slug:slug>", slug)
    address = re.sub(r"\(\?P<key>[^)]*\)\\\.\(\?P<extension>[^)]*\)", "0" * 32 + ".png", address)
    return re.sub(r"<(int|str):\w+>", "1", address)


def _as_seen(response, slug):
    """What an outsider sees, with the slug they typed taken out and the security token (which
    differs per response) blanked."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    location = response.get("Location", "").replace(slug, "SLUG")
    return response.status_code, location, body.replace(slug, "SLUG")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("outsider_kind", ["anonymous", "member of another trust"])
def test_every_trust_address_answers_an_outsider_alike_for_a_members_only_trust_and_none(
    client, pack, outsider, method, outsider_kind
):
    """An outsider must not learn which members-only trusts exist: every page of a trust,
    by GET or POST, answers them word for word as it answers for a slug no trust has."""
    make_version(pack, 1)
    assert pack.visibility == InductionPack.Visibility.MEMBERS
    if outsider_kind != "anonymous":
        client.force_login(outsider)
    addresses = _trust_addresses()
    assert len(addresses) > 30
    for pattern in addresses:
        real = getattr(client, method)(_address(pattern, pack.trust.slug))
        unknown = getattr(client, method)(_address(pattern, "no-such-trust"))
        assert _as_seen(real, pack.trust.slug) == _as_seen(unknown, "no-such-trust"), pattern
