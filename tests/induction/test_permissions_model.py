"""Who may do what with a pack: the permission methods and the for_user() querysets.

Platform staff (`staff`) may read every pack and nothing more; acting as an editor of the
trust (`staff_acting`) they hold the editor role there, and never the approver role.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from induction import services
from induction.models import (
    InductionPack,
    Membership,
    PackVersion,
    PublishRefusal,
    StaffAccess,
    Trust,
)

from .conftest import act_as_editor, edit_draft, one_space_edit

PEOPLE = ["anonymous", "reader", "editor", "approver", "editor_approver", "outsider", "staff",
          "staff_acting"]  # fmt: skip


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param)


def expect(table):
    """Parametrize `person` over PEOPLE with the expected answer for each."""
    return pytest.mark.parametrize(
        "person, expected", [(name, table[name]) for name in PEOPLE], indirect=["person"]
    )


@expect({"anonymous": False, "reader": True, "editor": True, "approver": True,
         "editor_approver": True, "outsider": False, "staff": False,
         "staff_acting": True})  # fmt: skip
def test_is_member_means_a_role_in_the_pack_s_trust(pack, person, expected):
    assert pack.is_member(person) is expected


@expect({"anonymous": True, "reader": True, "editor": True, "approver": True,
         "editor_approver": True, "outsider": True, "staff": True,
         "staff_acting": True})  # fmt: skip
def test_everyone_can_read_a_public_pack(pack, person, expected):
    pack.visibility = InductionPack.Visibility.PUBLIC
    assert pack.can_read(person) is expected


@expect({"anonymous": False, "reader": True, "editor": True, "approver": True,
         "editor_approver": True, "outsider": False, "staff": True,
         "staff_acting": True})  # fmt: skip
def test_only_members_and_staff_can_read_a_members_only_pack(pack, person, expected):
    pack.visibility = InductionPack.Visibility.MEMBERS
    assert pack.can_read(person) is expected


@expect({"anonymous": False, "reader": False, "editor": True, "approver": False,
         "editor_approver": True, "outsider": False, "staff": False,
         "staff_acting": True})  # fmt: skip
def test_only_editors_and_staff_acting_as_editors_can_edit(pack, person, expected):
    assert pack.can_edit(person) is expected


@expect({"anonymous": False, "reader": False, "editor": False, "approver": True,
         "editor_approver": True, "outsider": False, "staff": False,
         "staff_acting": False})  # fmt: skip
def test_only_the_trust_s_approvers_can_approve(pack, person, expected):
    assert pack.can_approve(person) is expected


@expect({"anonymous": False, "reader": False, "editor": True, "approver": True,
         "editor_approver": True, "outsider": False, "staff": False,
         "staff_acting": True})  # fmt: skip
def test_without_the_approval_rule_editors_and_approvers_can_publish(pack, person, expected):
    pack.requires_approval = False
    assert pack.can_publish(person) is expected


@expect({"anonymous": False, "reader": False, "editor": False, "approver": True,
         "editor_approver": True, "outsider": False, "staff": False,
         "staff_acting": False})  # fmt: skip
def test_with_the_approval_rule_only_approvers_can_publish(pack, person, expected):
    pack.requires_approval = True
    assert pack.can_publish(person) is expected


@pytest.mark.parametrize("last_editor", ["editor_approver", "staff_approver"])
def test_with_the_approval_rule_the_last_editor_cannot_publish(request, pack, last_editor):
    user = request.getfixturevalue(last_editor)
    pack.requires_approval = True
    edit_draft(pack, user)
    assert not pack.can_publish(user)
    assert pack.publish_refusal(user) is PublishRefusal.EDITED_THE_DRAFT
    assert "a different approver must publish it" in pack.publish_refusal(user).message


def test_with_the_approval_rule_another_approver_can_publish_an_edited_draft(
    pack, editor, approver
):
    pack.requires_approval = True
    edit_draft(pack, editor)
    assert pack.can_publish(approver)
    assert pack.publish_refusal(approver) is None


def test_without_the_approval_rule_the_last_editor_may_publish(pack, editor_approver):
    pack.requires_approval = False
    edit_draft(pack, editor_approver)
    assert pack.can_publish(editor_approver)


def test_setting_the_last_editor_by_hand_does_not_make_someone_a_draft_editor(
    pack, editor_approver
):
    pack.requires_approval = True
    pack.last_edited_by = editor_approver
    assert pack.draft_editor_ids == frozenset()
    assert pack.can_publish(editor_approver)


def test_with_the_approval_rule_an_approver_who_edited_cannot_publish_after_a_later_edit(
    pack, editor_approver, second_editor, approver
):
    """Four eyes means every draft editor, not only the last: a colleague's one-space edit
    after hers does not let the approver publish her own change."""
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver, text="The approver's own change.")
    one_space_edit(pack, second_editor)
    pack = InductionPack.objects.get(pk=pack.pk)
    assert pack.last_edited_by == second_editor
    assert pack.draft_editor_ids == {editor_approver.pk, second_editor.pk}
    assert pack.publish_refusal(editor_approver) is PublishRefusal.EDITED_THE_DRAFT
    assert pack.publish_refusal(approver) is None


def test_with_the_approval_rule_staff_acting_as_an_editor_need_a_trust_approver_to_publish(
    pack, staff_acting, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, staff_acting)
    pack = InductionPack.objects.get(pk=pack.pk)
    assert pack.publish_refusal(staff_acting) is PublishRefusal.NOT_APPROVER
    assert pack.eligible_publishers() == [approver]
    assert pack.publish(user=approver).published_by == approver


def test_staff_acting_as_an_editor_cannot_turn_off_approval(pack, staff_acting):
    services.update_pack_settings(
        pack=pack, user=staff_acting, expected_revision=pack.settings_revision,
        requires_approval=True,
    )  # fmt: skip
    pack = InductionPack.objects.get(pk=pack.pk)
    with pytest.raises(services.RuleRefused, match="Only an approver can turn off approval"):
        services.update_pack_settings(
            pack=pack, user=staff_acting, expected_revision=pack.settings_revision,
            requires_approval=False,
        )  # fmt: skip
    pack.refresh_from_db()
    assert pack.requires_approval


def test_staff_approver_who_edited_the_draft_cannot_turn_off_approval(pack, staff_approver):
    services.update_pack_settings(
        pack=pack, user=staff_approver, expected_revision=pack.settings_revision,
        requires_approval=True,
    )  # fmt: skip
    edit_draft(pack, staff_approver)
    pack = InductionPack.objects.get(pk=pack.pk)
    with pytest.raises(services.RuleRefused, match="Another approver must turn off approval"):
        services.update_pack_settings(
            pack=pack, user=staff_approver, expected_revision=pack.settings_revision,
            requires_approval=False,
        )  # fmt: skip
    pack.refresh_from_db()
    assert pack.requires_approval


def test_staff_approver_who_did_not_edit_the_draft_may_turn_off_approval(
    pack, staff_approver, editor
):
    services.update_pack_settings(
        pack=pack, user=editor, expected_revision=pack.settings_revision, requires_approval=True
    )
    edit_draft(pack, editor)
    pack = InductionPack.objects.get(pk=pack.pk)
    services.update_pack_settings(
        pack=pack, user=staff_approver, expected_revision=pack.settings_revision,
        requires_approval=False,
    )  # fmt: skip
    pack.refresh_from_db()
    assert not pack.requires_approval


def test_staff_without_access_cannot_change_any_setting(pack, staff):
    with pytest.raises(PermissionDenied, match="Only an editor of this trust"):
        services.update_pack_settings(
            pack=pack, user=staff, expected_revision=pack.settings_revision, title="Staff's"
        )
    pack.refresh_from_db()
    assert pack.title != "Staff's"


def test_publishing_starts_a_new_list_of_draft_editors(pack, editor_approver, approver):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    pack.publish(user=approver)
    assert pack.draft_editor_ids == frozenset()
    assert pack.can_publish(editor_approver)


def test_eligible_publishers_leave_out_every_draft_editor(
    pack, editor, approver, editor_approver, reader
):
    pack.requires_approval = True
    edit_draft(pack, editor_approver)
    assert pack.eligible_publishers() == [approver]


def test_without_the_approval_rule_eligible_publishers_are_editors_and_approvers(
    pack, editor, approver, editor_approver, reader
):
    pack.requires_approval = False
    edit_draft(pack, editor_approver)
    assert set(pack.eligible_publishers()) == {editor, approver, editor_approver}


def test_refusals_say_why_in_plain_words(pack, reader, anonymous, editor):
    assert pack.publish_refusal(anonymous) is PublishRefusal.NOT_SIGNED_IN
    assert pack.publish_refusal(anonymous).message == "Sign in to publish this pack."
    assert pack.publish_refusal(reader) is PublishRefusal.NOT_EDITOR_OR_APPROVER
    assert pack.publish_refusal(reader).message == (
        "Only an editor or approver of this trust can publish this pack."
    )
    pack.requires_approval = True
    assert pack.publish_refusal(editor) is PublishRefusal.NOT_APPROVER
    assert pack.publish_refusal(editor).message.startswith(
        "Only an approver of this trust can publish this pack"
    )


def test_many_permission_checks_cost_one_query(pack, editor_approver, django_assert_num_queries):
    pack = InductionPack.objects.select_related("trust").get(pk=pack.pk)
    with django_assert_num_queries(1):
        pack.is_member(editor_approver)
        pack.can_read(editor_approver)
        pack.can_edit(editor_approver)
        pack.can_approve(editor_approver)
        pack.can_publish(editor_approver)
        pack.can_view_draft(editor_approver)


def test_role_names_for_lists_every_role_of_the_user(trust, editor_approver, outsider, anonymous):
    assert trust.role_names_for(editor_approver) == {"editor", "approver"}
    assert trust.role_names_for(outsider) == frozenset()
    assert trust.role_names_for(anonymous) == frozenset()


def test_platform_staff_get_no_role_from_being_staff(trust, staff_superuser):
    assert Trust.objects.get(pk=trust.pk).role_names_for(staff_superuser) == frozenset()


def test_staff_acting_as_an_editor_get_the_editor_role_and_only_there(
    trust, other_trust, pack, staff_acting
):
    assert Trust.objects.get(pk=trust.pk).role_names_for(staff_acting) == {"editor"}
    assert Trust.objects.get(pk=other_trust.pk).role_names_for(staff_acting) == frozenset()


def test_staff_access_adds_to_the_roles_of_a_membership(trust, pack, staff_approver):
    assert Trust.objects.get(pk=trust.pk).role_names_for(staff_approver) == {"editor", "approver"}


def test_an_access_past_its_end_time_gives_no_role(trust, pack, staff_acting):
    StaffAccess.objects.filter(user=staff_acting).update(
        started_at=timezone.now() - datetime.timedelta(hours=5),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    fresh = InductionPack.objects.select_related("trust").get(pk=pack.pk)
    assert fresh.trust.role_names_for(staff_acting) == frozenset()
    assert not fresh.can_edit(staff_acting)
    assert not InductionPack.objects.editable_by(staff_acting).exists()


def test_an_access_to_a_user_who_is_no_longer_staff_gives_no_role(trust, pack, staff_acting):
    staff_acting.is_staff = False
    staff_acting.save(update_fields=["is_staff"])
    assert Trust.objects.get(pk=trust.pk).role_names_for(staff_acting) == frozenset()
    assert not InductionPack.objects.editable_by(staff_acting).exists()


def test_staff_permission_checks_cost_two_queries(pack, staff_acting, django_assert_num_queries):
    pack = InductionPack.objects.select_related("trust").get(pk=pack.pk)
    with django_assert_num_queries(2):
        pack.can_read(staff_acting)
        pack.can_edit(staff_acting)
        pack.can_approve(staff_acting)
        pack.can_publish(staff_acting)
        pack.can_view_draft(staff_acting)
        pack.trust.staff_access_for(staff_acting)


def test_trusts_for_user_are_their_own_or_all_for_staff(
    trust, other_trust, editor_approver, staff, anonymous
):
    assert list(Trust.objects.for_user(editor_approver)) == [trust]
    assert set(Trust.objects.for_user(staff)) == {trust, other_trust}
    assert not Trust.objects.for_user(anonymous).exists()


def test_packs_for_user_hide_other_trusts_members_only_packs(
    pack, other_pack, reader, outsider, anonymous, staff
):
    other_pack.visibility = InductionPack.Visibility.MEMBERS
    other_pack.save()
    pack.visibility = InductionPack.Visibility.PUBLIC
    pack.save()
    assert list(InductionPack.objects.for_user(reader)) == [pack]
    assert set(InductionPack.objects.for_user(outsider)) == {pack, other_pack}
    assert list(InductionPack.objects.for_user(anonymous)) == [pack]
    assert set(InductionPack.objects.for_user(staff)) == {pack, other_pack}


def test_a_member_with_several_roles_sees_each_pack_once(pack, editor_approver):
    assert list(InductionPack.objects.for_user(editor_approver)) == [pack]


def test_editable_packs_are_the_editor_s_own(pack, other_pack, editor, approver, outsider, staff):
    assert list(InductionPack.objects.editable_by(editor)) == [pack]
    assert not InductionPack.objects.editable_by(approver).exists()
    assert list(InductionPack.objects.editable_by(outsider)) == [other_pack]
    assert not InductionPack.objects.editable_by(staff).exists()


def test_staff_may_edit_the_packs_of_trusts_they_act_for_or_belong_to(
    pack, other_pack, staff_acting
):
    assert list(InductionPack.objects.editable_by(staff_acting)) == [pack]
    Membership.objects.create(
        user=staff_acting, trust=other_pack.trust, role=Membership.Role.EDITOR
    )
    assert set(InductionPack.objects.editable_by(staff_acting)) == {pack, other_pack}
    act_as_editor(staff_acting, other_pack.trust)  # both at once: each pack once
    assert InductionPack.objects.editable_by(staff_acting).count() == 2


def test_versions_for_user_follow_the_pack_s_visibility(
    published, other_pack, outsider, reader, anonymous
):
    other_version = other_pack.publish(user=outsider)
    assert published.pack.visibility == InductionPack.Visibility.MEMBERS
    assert list(PackVersion.objects.for_user(reader)) == [published]
    assert list(PackVersion.objects.for_user(outsider)) == [other_version]
    assert not PackVersion.objects.for_user(anonymous).exists()
