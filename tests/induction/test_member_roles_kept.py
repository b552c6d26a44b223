"""Each user's roles are kept in the cache between requests (`roles_by_trust`) and read again
as soon as any membership changes, whether by a save, a deletion or a bulk write. Roles read
inside a transaction, which may yet be rolled back, are never kept.

These tests commit (transactional database): inside the test's own transaction the cache is
not used at all, which is what the last test shows."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from induction.models import Membership, can_change_content
from tests.induction.conftest import *  # noqa: F403  (trusts, packs and people)
from tests.mfa.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR, APPROVER, READER = Membership.Role.EDITOR, Membership.Role.APPROVER, Membership.Role.READER


def fresh(user):
    """The user as the next request loads them: a new instance, nothing remembered on it."""
    return get_user_model().objects.get(pk=user.pk)


def roles(user):
    return Membership.objects.roles_by_trust(fresh(user))


def test_a_user_s_roles_are_read_once_then_come_from_the_cache(reader, trust):
    assert roles(reader) == {trust.pk: frozenset({READER})}
    user = fresh(reader)
    with CaptureQueriesContext(connection) as queries:
        assert Membership.objects.roles_by_trust(user) == {trust.pk: frozenset({READER})}
        assert trust.role_names_for(user) == {READER}
        assert not can_change_content(user)
    assert len(queries) == 0


def test_a_new_membership_is_seen_by_the_next_request(reader, trust):
    assert not can_change_content(fresh(reader))
    Membership.objects.create(user=reader, trust=trust, role=EDITOR)
    assert roles(reader) == {trust.pk: frozenset({READER, EDITOR})}
    assert can_change_content(fresh(reader))


def test_a_removed_membership_is_seen_by_the_next_request(editor, trust):
    assert can_change_content(fresh(editor))
    Membership.objects.filter(user=editor, trust=trust).delete()
    assert roles(editor) == {}
    assert not can_change_content(fresh(editor))
    assert trust.role_names_for(fresh(editor)) == frozenset()


def test_a_bulk_change_of_roles_is_seen_by_the_next_request(reader, trust):
    assert roles(reader) == {trust.pk: frozenset({READER})}
    Membership.objects.filter(user=reader).update(role=APPROVER)
    assert roles(reader) == {trust.pk: frozenset({APPROVER})}
    Membership.objects.bulk_create([Membership(user=reader, trust=trust, role=EDITOR)])
    assert roles(reader) == {trust.pk: frozenset({APPROVER, EDITOR})}


def test_a_user_losing_the_editor_role_cannot_open_the_editor_at_the_next_request(
    client, editor, pack
):
    client.force_login(editor)  # no second factor asked (see the MFA tests for that)
    edit_url = f"/trusts/{pack.trust.slug}/induction/edit/"
    assert client.get(edit_url).status_code == 200
    Membership.objects.filter(user=editor, role=EDITOR).delete()
    assert client.get(edit_url).status_code in (403, 404)


def test_a_reader_made_an_editor_is_asked_for_a_second_factor_at_the_next_request(
    client, reader, trust
):
    sign_in_with_password(client, reader)
    assert client.get("/").status_code == 200
    Membership.objects.create(user=reader, trust=trust, role=EDITOR)
    answer = client.get("/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/two-step/")


def test_roles_read_inside_a_transaction_that_rolls_back_are_not_kept(reader, trust):
    assert roles(reader) == {trust.pk: frozenset({READER})}
    with transaction.atomic():
        Membership.objects.create(user=reader, trust=trust, role=EDITOR)
        assert roles(reader) == {trust.pk: frozenset({READER, EDITOR})}
        transaction.set_rollback(True)
    assert roles(reader) == {trust.pk: frozenset({READER})}
    assert not can_change_content(fresh(reader))
