"""Two tabs ticking the same step, a double-clicked "I have read this version", a
publication landing while acknowledgements are saved, one invitation accepted many times at
once and two editors inviting the same address: nothing is lost, nothing is recorded twice.
Real threads with their own connections need a database with real concurrency: these
run on PostgreSQL (DATABASE_URL) and skip on SQLite, which has one writer at a time."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from induction.models import AuditEvent, InductionPack, Membership
from journey import invitations, records
from journey.invitations import InvitationRefused, Refusal
from journey.models import Acknowledgement, ChecklistTick, Invitation
from journey.progress import acknowledgement_of, record_for
from tests.induction.conftest import edit_draft, load_national_data

from .conftest import step_keys

THREADS = 6


@pytest.fixture
def real_concurrency():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has one writer at a time; run with DATABASE_URL set to PostgreSQL to test "
            "concurrent ticks and acknowledgements."
        )
    load_national_data()


def at_once(*calls):
    """Run each call in its own thread, all released together; each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported to the test below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_tabs_ticking_the_same_step_at_once_record_one_tick(
    real_concurrency, trust, make_user, editor_approver
):
    pack = _pack(trust)
    version = pack.publish(user=editor_approver)
    inductee = _inductee(make_user, trust, pack)
    key = step_keys(version)[0]
    ticks = at_once(*[lambda: records.tick(user=inductee, pack=pack, item_key=key)] * THREADS)
    assert len({tick.pk for tick in ticks}) == 1
    assert ChecklistTick.objects.filter(user=inductee, item_key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ticking_different_steps_at_once_loses_none(
    real_concurrency, trust, make_user, editor_approver
):
    pack = _pack(trust)
    version = pack.publish(user=editor_approver)
    inductee = _inductee(make_user, trust, pack)
    keys = step_keys(version)[:THREADS]
    at_once(*[(lambda k=k: records.tick(user=inductee, pack=pack, item_key=k)) for k in keys])
    assert set(ChecklistTick.objects.values_list("item_key", flat=True)) == set(keys)
    assert record_for(inductee, pack).progress.done == THREADS


@pytest.mark.django_db(transaction=True)
def test_acknowledging_twice_at_once_records_one_acknowledgement(
    real_concurrency, trust, make_user, editor_approver
):
    pack = _pack(trust)
    pack.publish(user=editor_approver)
    reader = make_user("double-click", trust=trust, roles=["reader"])
    results = at_once(*[lambda: records.acknowledge(user=reader, pack=pack, number=1)] * THREADS)
    assert [created for _, created in results].count(True) == 1
    assert len({acknowledgement.pk for acknowledgement, _ in results}) == 1
    assert Acknowledgement.objects.filter(user=reader).count() == 1


@pytest.mark.django_db(transaction=True)
def test_publishing_while_acknowledgements_are_saved_loses_none_and_asks_again(
    real_concurrency, trust, make_user, editor_approver
):
    pack = _pack(trust)
    pack.publish(user=editor_approver)
    readers = [make_user(f"reader-{n}", trust=trust, roles=["reader"]) for n in range(THREADS)]
    edit_draft(pack, editor_approver)

    def publish():
        return InductionPack.objects.get(pk=pack.pk).publish(user=editor_approver).number

    calls = [(lambda r=r: records.acknowledge(user=r, pack=pack, number=1)) for r in readers]
    results = at_once(publish, *calls)
    assert results[0] == 2
    assert sorted(pack.versions.values_list("number", flat=True)) == [1, 2]
    for reader in readers:
        assert list(Acknowledgement.objects.filter(user=reader).values_list(
            "version__number", flat=True)) == [1]  # fmt: skip
        assert acknowledgement_of(reader, pack).version.number == 1  # so version 2 asks again


def _pack(trust):
    from induction.baseline import create_pack_from_baseline

    return create_pack_from_baseline(trust=trust)


def _inductee(make_user, trust, pack):
    user = make_user("concurrent-md")
    Membership.objects.create(user=user, trust=trust, role="reader", board_role=pack.board_role)
    return user


def _refused_or(call):
    """The call's result, or ("refused", its InvitationRefused): an expected answer here, which
    `at_once` must not take for an error."""
    try:
        return call()
    except InvitationRefused as refused:
        return ("refused", refused)


@pytest.mark.django_db(transaction=True)
def test_accepting_one_invitation_many_times_at_once_makes_exactly_one_membership(
    real_concurrency, trust, make_user, editor
):
    pack = _pack(trust)
    invitation = invitations.invite(pack=pack, user=editor, email="twice@example.nhs.uk",
                                    role="editor")  # fmt: skip
    person = make_user("double-clicker", email="twice@example.nhs.uk")
    same_address = make_user("second-account", email="TWICE@example.nhs.uk")
    users = [person, same_address] * (THREADS // 2)
    results = at_once(*[
        (lambda u=u: _refused_or(lambda: invitations.accept_invitation(invitation, u)))
        for u in users
    ])  # fmt: skip
    accepted = [result for result in results if isinstance(result, Invitation)]
    refused = [result[1] for result in results if isinstance(result, tuple)]
    assert len(accepted) == 1 and len(refused) == THREADS - 1
    assert {r.refusal for r in refused} == {Refusal.USED}
    assert Membership.objects.filter(trust=trust, role="editor").exclude(user=editor).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == accepted[0].accepted_by


@pytest.mark.django_db(transaction=True)
def test_two_editors_inviting_the_same_address_at_once_make_one_invitation(
    real_concurrency, trust, make_user, editor, second_editor
):
    pack = _pack(trust)

    def invite(user):
        try:
            return invitations.invite(pack=pack, user=user, email="new@example.nhs.uk",
                                      role="reader")  # fmt: skip
        except ValidationError as refused:
            return ("refused", refused)

    results = at_once(*[(lambda u=u: invite(u)) for u in [editor, second_editor] * 2])
    assert sum(isinstance(result, Invitation) for result in results) == 1
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_SENT).count() == 1
