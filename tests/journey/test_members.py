"""An editor managing the trust's members: their board role and start date, their roles, and
removing them. Who may, what is refused, and that every change is in the trust's audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from induction.models import AuditEvent, Membership
from journey import members
from roles.models import Role


def test_an_editor_sets_a_member_s_board_role_and_start_date_on_every_membership(
    pack, editor, editor_approver, national
):
    start = datetime.date(2027, 3, 1)
    changed = members.set_induction(
        pack=pack, member=editor_approver, user=editor, board_role_id=national.pk, start_date=start
    )
    assert changed == 2
    assert set(editor_approver.memberships.values_list("board_role", "start_date")) == {
        (national.pk, start)
    }


def test_only_editors_set_a_member_s_induction(pack, approver, reader, national):
    with pytest.raises(PermissionDenied):
        members.set_induction(
            pack=pack, member=reader, user=approver, board_role_id=national.pk, start_date=None
        )
    assert reader.memberships.get().board_role is None


def test_a_board_role_without_a_pack_or_a_start_date_without_a_role_is_refused(
    pack, editor, reader
):
    other_role = Role.objects.exclude(pk=pack.board_role_id).first()
    with pytest.raises(ValidationError, match="has an induction pack for"):
        members.set_induction(
            pack=pack, member=reader, user=editor, board_role_id=other_role.pk, start_date=None
        )
    with pytest.raises(ValidationError, match="needs the board role"):
        members.set_induction(
            pack=pack, member=reader, user=editor, board_role_id=None,
            start_date=datetime.date(2027, 1, 1),
        )  # fmt: skip


def test_an_editor_cannot_set_the_induction_of_another_trust_s_member(
    pack, editor, outsider, national
):
    changed = members.set_induction(
        pack=pack, member=outsider, user=editor, board_role_id=national.pk, start_date=None
    )
    assert changed == 0
    assert not outsider.memberships.filter(board_role__isnull=False).exists()


def _audit(trust, action):
    return list(
        AuditEvent.objects.filter(trust=trust, action=action).values_list("actor", "pack", "detail")
    )


# --- the induction, audited ---------------------------------------------------------------


def test_setting_a_member_s_induction_is_in_the_audit_trail_with_what_it_was(
    pack, editor, inductee, national
):
    members.set_induction(
        pack=pack, member=inductee, user=editor, board_role_id=national.pk,
        start_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    [(actor, event_pack, detail)] = _audit(pack.trust, AuditEvent.Action.MEMBER_INDUCTION_CHANGED)
    assert actor == editor.pk and event_pack is None
    assert detail.startswith("Asha Newton: being inducted as Medical Director from 1 March 2027")
    assert "(was: being inducted as Medical Director from " in detail


def test_clearing_a_member_s_induction_is_audited_and_saving_it_unchanged_is_not(
    pack, editor, inductee
):
    start = inductee.memberships.get().start_date
    members.set_induction(
        pack=pack, member=inductee, user=editor, board_role_id=pack.board_role_id,
        start_date=start,
    )  # fmt: skip
    assert _audit(pack.trust, AuditEvent.Action.MEMBER_INDUCTION_CHANGED) == []
    members.set_induction(
        pack=pack, member=inductee, user=editor, board_role_id=None, start_date=None
    )
    [(_, _, detail)] = _audit(pack.trust, AuditEvent.Action.MEMBER_INDUCTION_CHANGED)
    assert detail.startswith("Asha Newton: not being inducted (was: being inducted as")


# --- roles ---------------------------------------------------------------------------------


def test_an_editor_changes_a_member_s_roles_keeping_their_induction(pack, editor, inductee):
    before = inductee.memberships.get()
    assert members.set_roles(
        pack=pack, member=inductee, user=editor,
        roles={Membership.Role.READER, Membership.Role.APPROVER},
    )  # fmt: skip
    rows = set(inductee.memberships.values_list("role", "board_role", "start_date"))
    assert rows == {
        (role, before.board_role_id, before.start_date)
        for role in (Membership.Role.READER, Membership.Role.APPROVER)
    }
    [(actor, _, detail)] = _audit(pack.trust, AuditEvent.Action.MEMBER_ROLES_CHANGED)
    assert actor == editor.pk
    assert detail == "Asha Newton: reader and approver (was: reader)"
    assert pack.trust.role_names_for(inductee) == {"reader", "approver"}


def test_the_same_roles_again_change_nothing_and_record_nothing(pack, editor, reader):
    assert not members.set_roles(
        pack=pack, member=reader, user=editor, roles={Membership.Role.READER}
    )
    assert _audit(pack.trust, AuditEvent.Action.MEMBER_ROLES_CHANGED) == []


@pytest.mark.parametrize(
    "roles, message",
    [(set(), "Choose at least one role"), ({"owner"}, "Choose roles from the list")],
)
def test_no_role_or_an_unknown_one_is_refused(pack, editor, reader, roles, message):
    with pytest.raises(ValidationError, match=message):
        members.set_roles(pack=pack, member=reader, user=editor, roles=roles)
    assert list(reader.memberships.values_list("role", flat=True)) == [Membership.Role.READER]


def test_nobody_changes_their_own_roles(pack, editor, second_editor):
    with pytest.raises(ValidationError, match="cannot change your own roles"):
        members.set_roles(
            pack=pack, member=editor, user=editor,
            roles={Membership.Role.EDITOR, Membership.Role.APPROVER},
        )  # fmt: skip
    assert list(editor.memberships.values_list("role", flat=True)) == [Membership.Role.EDITOR]


def test_staff_acting_as_an_editor_cannot_make_themselves_an_approver(pack, staff_acting):
    """Acting never makes anyone an approver: not directly, and not through these pages."""
    with pytest.raises(ValidationError):
        members.set_roles(
            pack=pack, member=staff_acting, user=staff_acting, roles={Membership.Role.APPROVER}
        )
    assert not Membership.objects.filter(user=staff_acting).exists()


def test_the_trust_s_only_editor_keeps_the_editor_role(pack, editor, second_editor, staff_acting):
    members.set_roles(
        pack=pack, member=second_editor, user=editor, roles={Membership.Role.READER}
    )
    # Platform staff acting as an editor are not members: the trust would have no editor left.
    with pytest.raises(ValidationError, match="editor is the trust's only editor"):
        members.set_roles(
            pack=pack, member=editor, user=staff_acting, roles={Membership.Role.APPROVER}
        )
    assert list(editor.memberships.values_list("role", flat=True)) == [Membership.Role.EDITOR]


@pytest.mark.parametrize("who", ["approver", "reader", "outsider", "staff"])
def test_only_the_trust_s_editors_change_roles_or_remove_members(request, pack, reader, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        members.set_roles(pack=pack, member=reader, user=user, roles={Membership.Role.EDITOR})
    with pytest.raises(PermissionDenied):
        members.remove_member(pack=pack, member=reader, user=user)
    assert list(reader.memberships.values_list("role", flat=True)) == [Membership.Role.READER]


def test_another_trust_s_member_is_not_found_for_roles_or_removal(pack, editor, outsider):
    with pytest.raises(ValidationError, match="not a member of this trust"):
        members.set_roles(pack=pack, member=outsider, user=editor, roles={"reader"})
    with pytest.raises(ValidationError, match="not a member of this trust"):
        members.remove_member(pack=pack, member=outsider, user=editor)
    assert outsider.memberships.count() == 2


# --- removal -------------------------------------------------------------------------------


def test_removing_a_member_takes_every_role_and_is_audited(pack, editor, editor_approver):
    members.remove_member(pack=pack, member=editor_approver, user=editor)
    assert not editor_approver.memberships.exists()
    [(actor, _, detail)] = _audit(pack.trust, AuditEvent.Action.MEMBER_REMOVED)
    assert actor == editor.pk and detail == "Removed hr-admin (editor and approver)"
    assert pack.trust.role_names_for(editor_approver) == frozenset()


def test_the_trust_s_only_editor_cannot_be_removed_even_by_themselves(pack, editor, reader):
    with pytest.raises(ValidationError, match="only editor"):
        members.remove_member(pack=pack, member=editor, user=editor)
    assert editor.memberships.exists()
    assert _audit(pack.trust, AuditEvent.Action.MEMBER_REMOVED) == []


def test_an_editor_may_leave_when_another_editor_stays(pack, editor, second_editor):
    members.remove_member(pack=pack, member=editor, user=editor)
    assert not editor.memberships.exists()
