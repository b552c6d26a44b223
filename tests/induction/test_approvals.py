"""Asking for approval, returning a draft with comments, withdrawing, and publishing as the
answer: the rules of induction/approvals.py, its audit trail, and two approvers at once."""

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from induction import approvals
from induction.models import ApprovalRequest, AuditEvent, Membership
from induction.publishing import SecondPersonRequired
from induction.signals import approval_request_changed
from tests.processes import run_django

from .conftest import edit_draft


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Publishing queues the PDF after commit; keep any file it writes out of the checkout.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def second_approver(make_user, trust):
    return make_user("second-approver", trust=trust, roles=[Membership.Role.APPROVER])


@pytest.fixture
def edited_pack(pack, published, editor):
    """`pack` published once, then edited by `editor`: a draft worth approving."""
    edit_draft(pack, editor, text="A new paragraph for approval.")
    pack.refresh_from_db()
    return pack


@pytest.fixture
def asked(edited_pack, editor, approver):
    """`editor` asks for approval of the edited draft (`approver` is there to answer)."""
    return approvals.submit_for_approval(
        pack=edited_pack, user=editor, message="New paragraph on the board."
    )


def audit_actions(pack):
    return list(AuditEvent.objects.filter(pack=pack).order_by("pk").values_list("action", "detail"))


# --- asking -----------------------------------------------------------------------------------


def test_an_editor_asks_for_approval_of_the_draft_as_it_stands(edited_pack, editor, approver):
    approval = approvals.submit_for_approval(
        pack=edited_pack, user=editor, message="  New paragraph on the board.  "
    )

    assert approval.status == ApprovalRequest.Status.WAITING
    assert approval.draft_revision == edited_pack.draft_revision
    assert approval.submitted_by == editor
    assert approval.message == "New paragraph on the board."
    assert audit_actions(edited_pack)[-1] == (
        AuditEvent.Action.APPROVAL_REQUESTED,
        "New paragraph on the board.",
    )


def test_asking_is_not_a_draft_edit_so_the_four_eyes_rule_is_unchanged(asked, edited_pack, editor):
    edited_pack.refresh_from_db()
    assert edited_pack.draft_revision == asked.draft_revision
    assert not asked.draft_changed()


def test_a_first_draft_never_published_can_be_sent(pack, editor, approver):
    approval = approvals.submit_for_approval(pack=pack, user=editor, message="")
    assert approval.is_waiting
    assert audit_actions(pack)[-1] == (AuditEvent.Action.APPROVAL_REQUESTED, "No message")


@pytest.mark.parametrize("who", ["approver", "reader", "outsider", "staff", "anonymous"])
def test_only_editors_may_ask_for_approval(request, edited_pack, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        approvals.submit_for_approval(pack=edited_pack, user=user, message="Please")
    assert not ApprovalRequest.objects.exists()


def test_platform_staff_acting_as_an_editor_may_ask(edited_pack, staff_acting, approver):
    approval = approvals.submit_for_approval(pack=edited_pack, user=staff_acting)
    assert approval.submitted_by == staff_acting


def test_a_draft_the_same_as_the_newest_version_is_not_sent(pack, published, editor, approver):
    with pytest.raises(ValidationError) as refused:
        approvals.submit_for_approval(pack=pack, user=editor, message="Please")
    assert refused.value.messages == [
        "The draft is the same as version 1, the version readers see now, so there is "
        "nothing to approve. Edit the pack first."
    ]
    assert not ApprovalRequest.objects.exists()


def test_asking_needs_an_approver_other_than_the_editor(pack, editor_approver):
    with pytest.raises(ValidationError) as refused:
        approvals.submit_for_approval(pack=pack, user=editor_approver)
    assert refused.value.messages == [approvals.NO_OTHER_APPROVER]


def test_an_overlong_message_is_refused_and_nothing_is_saved(edited_pack, editor, approver):
    with pytest.raises(ValidationError) as refused:
        approvals.submit_for_approval(
            pack=edited_pack, user=editor, message="x" * (ApprovalRequest.MESSAGE_LENGTH + 1)
        )
    assert refused.value.message_dict == {"message": [approvals.MESSAGE_TOO_LONG]}
    assert not ApprovalRequest.objects.exists()


def test_asking_again_replaces_the_waiting_request(asked, edited_pack, editor, second_editor):
    edit_draft(edited_pack, editor, text="A further change.")
    again = approvals.submit_for_approval(
        pack=edited_pack, user=second_editor, message="Now with the further change."
    )

    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.SUPERSEDED
    assert again.is_waiting
    assert list(ApprovalRequest.objects.waiting()) == [again]


def test_the_database_holds_at_most_one_waiting_request_per_pack(asked, edited_pack, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.create(
            pack=edited_pack, draft_revision=edited_pack.draft_revision, submitted_by=editor
        )


def test_a_request_knows_when_the_draft_changed_after_it_was_made(asked, edited_pack, editor):
    edit_draft(edited_pack, editor, text="Changed after asking.")
    asked.refresh_from_db()
    assert asked.draft_changed()


def test_the_change_is_announced_after_commit(
    edited_pack, editor, approver, django_capture_on_commit_callbacks
):
    received = []

    def record(sender, approval, **kwargs):
        received.append(approval.status)

    approval_request_changed.connect(record, sender=ApprovalRequest)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            approvals.submit_for_approval(pack=edited_pack, user=editor)
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        approval_request_changed.disconnect(record, sender=ApprovalRequest)
    assert received == [ApprovalRequest.Status.WAITING]


# --- returning with comments ------------------------------------------------------------------


def test_an_approver_returns_the_draft_with_comments(asked, edited_pack, approver):
    returned = approvals.return_with_comments(
        approval=asked, user=approver, comments=" Please name the new Chair. "
    )

    assert returned.status == ApprovalRequest.Status.RETURNED
    assert returned.responded_by == approver
    assert returned.comments == "Please name the new Chair."
    assert returned.responded_at is not None
    assert audit_actions(edited_pack)[-1] == (
        AuditEvent.Action.APPROVAL_RETURNED,
        "Please name the new Chair.",
    )
    assert not edited_pack.versions.filter(number=2).exists()


@pytest.mark.parametrize("comments", ["", "   \n  ", None])
def test_comments_are_required_to_return_a_draft(asked, approver, comments):
    with pytest.raises(ValidationError) as refused:
        approvals.return_with_comments(approval=asked, user=approver, comments=comments)
    assert refused.value.message_dict == {"comments": [approvals.COMMENTS_REQUIRED]}
    asked.refresh_from_db()
    assert asked.is_waiting


def test_overlong_comments_are_refused(asked, approver):
    with pytest.raises(ValidationError) as refused:
        approvals.return_with_comments(
            approval=asked, user=approver, comments="x" * (ApprovalRequest.COMMENTS_LENGTH + 1)
        )
    assert refused.value.message_dict == {"comments": [approvals.COMMENTS_TOO_LONG]}


@pytest.mark.parametrize("who", ["editor", "second_editor", "reader", "outsider", "staff_acting"])
def test_only_an_approver_may_return_a_draft(request, asked, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        approvals.return_with_comments(approval=asked, user=user, comments="No.")
    asked.refresh_from_db()
    assert asked.is_waiting


def test_an_approver_cannot_return_their_own_request(edited_pack, editor_approver, approver):
    approval = approvals.submit_for_approval(pack=edited_pack, user=editor_approver)
    with pytest.raises(PermissionDenied) as refused:
        approvals.return_with_comments(approval=approval, user=editor_approver, comments="Hm.")
    assert "another approver must answer it" in str(refused.value)


def test_a_request_answered_already_cannot_be_returned_again(asked, approver, second_approver):
    approvals.return_with_comments(approval=asked, user=approver, comments="First answer.")
    with pytest.raises(approvals.AlreadyAnswered) as answered:
        approvals.return_with_comments(approval=asked, user=second_approver, comments="Second.")
    assert "approver already returned this draft with comments" in answered.value.messages[0]
    asked.refresh_from_db()
    assert asked.comments == "First answer."


# --- withdrawing ------------------------------------------------------------------------------


def test_an_editor_withdraws_a_waiting_request(asked, edited_pack, second_editor):
    withdrawn = approvals.withdraw(approval=asked, user=second_editor)

    assert withdrawn.status == ApprovalRequest.Status.WITHDRAWN
    assert withdrawn.responded_by == second_editor
    action, detail = audit_actions(edited_pack)[-1]
    assert action == AuditEvent.Action.APPROVAL_WITHDRAWN
    assert detail.startswith("Withdrew the request editor made at ")


def test_an_approver_who_is_not_an_editor_cannot_withdraw(asked, approver):
    with pytest.raises(PermissionDenied):
        approvals.withdraw(approval=asked, user=approver)
    asked.refresh_from_db()
    assert asked.is_waiting


def test_a_returned_request_cannot_be_withdrawn(asked, approver, editor):
    approvals.return_with_comments(approval=asked, user=approver, comments="Not yet.")
    with pytest.raises(approvals.AlreadyAnswered):
        approvals.withdraw(approval=asked, user=editor)


# --- publishing answers the request -----------------------------------------------------------


def test_publishing_marks_the_waiting_request_published_naming_the_publisher(
    asked, edited_pack, approver
):
    version = edited_pack.publish(user=approver, reviewed_revision=asked.draft_revision)

    asked.refresh_from_db()
    assert asked.status == ApprovalRequest.Status.PUBLISHED
    assert asked.responded_by == approver
    assert asked.version == version
    event = AuditEvent.objects.filter(pack=edited_pack).order_by("pk").last()
    assert event.action == AuditEvent.Action.APPROVAL_PUBLISHED
    assert event.version == version
    assert event.detail.startswith("Version 2, asked for by editor on ")
    assert "changed since" not in event.detail


def test_publishing_a_draft_changed_since_it_was_asked_for_says_so(
    asked, edited_pack, editor, approver
):
    edit_draft(edited_pack, editor, text="Changed after asking.")
    edited_pack.publish(user=approver)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.APPROVAL_PUBLISHED).get()
    assert event.detail.endswith("(the draft had changed since it was asked for)")


def test_a_request_does_not_relax_the_four_eyes_rule(edited_pack, editor_approver, approver):
    """An approver who edited the draft still cannot publish it, even with a request waiting
    from someone else; the request stays waiting."""
    edited_pack.requires_approval = True
    edited_pack.save(update_fields=["requires_approval"])
    edit_draft(edited_pack, editor_approver, text="The HR admin's own change.")
    approval = approvals.submit_for_approval(pack=edited_pack, user=editor_approver)
    with pytest.raises(SecondPersonRequired):
        edited_pack.publish(user=editor_approver)
    approval.refresh_from_db()
    assert approval.is_waiting


def test_a_published_request_cannot_then_be_returned(asked, edited_pack, approver, second_approver):
    edited_pack.publish(user=approver)
    with pytest.raises(approvals.AlreadyAnswered) as answered:
        approvals.return_with_comments(approval=asked, user=second_approver, comments="Too late")
    assert "already published this draft as version 2" in answered.value.messages[0]


def test_publishing_without_a_request_writes_no_approval_entry(edited_pack, approver):
    edited_pack.publish(user=approver)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.APPROVAL_PUBLISHED).exists()


# --- two approvers at once, on SQLite as under `make run` -------------------------------------

SETUP = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from induction import approvals, services
from induction.baseline import create_pack_from_baseline
from induction.models import Membership, Trust
call_command("migrate", verbosity=0)
call_command("loaddata", "roles", verbosity=0)
trust = Trust.objects.create(name="Concurrent NHS Trust", slug="concurrent", ods_code="RZ5",
                             kind="acute")
pack = create_pack_from_baseline(trust=trust)
users = {}
for name, role in [("asker", "editor"), ("first", "approver"), ("second", "approver")]:
    users[name] = get_user_model().objects.create_user(name)
    Membership.objects.create(user=users[name], trust=trust, role=role)
approvals.submit_for_approval(pack=pack, user=users["asker"], message="Please approve.")
"""

ANSWER = """
import sys, time
from pathlib import Path
from django.contrib.auth import get_user_model
from induction import approvals
from induction.models import ApprovalRequest, InductionPack
start, username, how = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
while not start.exists():
    time.sleep(0.01)
user = get_user_model().objects.get(username=username)
approval = ApprovalRequest.objects.get()
try:
    if how == "return":
        approvals.return_with_comments(approval=approval, user=user, comments=f"From {username}")
        print("returned")
    else:
        version = InductionPack.objects.get().publish(user=user)
        print(f"published {version.number}")
except approvals.AlreadyAnswered:
    print("already answered")
"""

FINAL_STATE = """
from induction.models import ApprovalRequest
approval = ApprovalRequest.objects.get()
print(approval.status, approval.responded_by.username, approval.comments)
"""


def _answer_at_once(tmp_path, *answers):
    """Set up a waiting request in a real database file, then run each (username, how) in its
    own process at the same moment. Returns their outputs and the request's final state."""
    database = tmp_path / "portal.sqlite3"
    setup = run_django(SETUP, database=database)
    assert setup.wait(timeout=180) == 0, setup.stderr.read()
    start = tmp_path / "go"
    runs = [run_django(ANSWER, str(start), name, how, database=database) for name, how in answers]
    time.sleep(1.5)  # every process is up and waiting
    start.touch()
    outcomes = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outcomes.append(out.strip())
    final = run_django(FINAL_STATE, database=database)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err
    return outcomes, out.strip()


def test_two_approvers_returning_at_once_one_wins_and_the_other_is_told(tmp_path):
    outcomes, final = _answer_at_once(tmp_path, ("first", "return"), ("second", "return"))

    assert sorted(outcomes) == ["already answered", "returned"]
    winner = ["first", "second"][outcomes.index("returned")]
    assert final == f"returned {winner} From {winner}"


def test_returning_and_publishing_at_once_leave_the_request_answered_once(tmp_path):
    outcomes, final = _answer_at_once(tmp_path, ("first", "return"), ("second", "publish"))

    if outcomes == ["returned", "published 1"]:
        # The return came first: the request stays returned, and the later publication
        # (which needs no request) published the draft as it stood.
        assert final == "returned first From first"
    else:
        assert outcomes == ["already answered", "published 1"]
        assert final == "published second"
