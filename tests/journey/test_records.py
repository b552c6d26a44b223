"""Ticking steps and acknowledging versions: who may, what is refused, and that doing it
twice records it once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from journey import records
from journey.models import Acknowledgement, ChecklistTick

from .conftest import step_keys


def test_the_inductee_ticks_a_step_and_ticking_it_again_keeps_the_first_time(published, inductee):
    key = step_keys(published)[0]
    first = records.tick(user=inductee, pack=published.pack, item_key=key)
    again = records.tick(user=inductee, pack=published.pack, item_key=key)
    assert again.pk == first.pk and again.done_at == first.done_at
    assert ChecklistTick.objects.filter(user=inductee).count() == 1


def test_unticking_removes_the_tick_and_unticking_twice_is_harmless(published, inductee):
    key = step_keys(published)[0]
    records.tick(user=inductee, pack=published.pack, item_key=key)
    records.untick(user=inductee, pack=published.pack, item_key=key)
    records.untick(user=inductee, pack=published.pack, item_key=key)
    assert not ChecklistTick.objects.exists()


@pytest.mark.parametrize("who", ["reader", "editor", "editor_approver", "outsider", "staff"])
def test_nobody_but_the_inductee_may_tick(request, published, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="Only the person being inducted"):
        records.tick(user=user, pack=published.pack, item_key=step_keys(published)[0])
    assert not ChecklistTick.objects.exists()


def test_an_unknown_key_is_refused_with_a_reason(published, inductee):
    with pytest.raises(ValidationError, match="not in the checklist of version 1"):
        records.tick(user=inductee, pack=published.pack, item_key="0" * 32)
    assert not ChecklistTick.objects.exists()


def test_a_key_of_another_trust_s_pack_is_refused(published, other_pack, outsider, inductee):
    other_version = other_pack.publish(user=outsider)
    with pytest.raises(ValidationError):
        records.tick(user=inductee, pack=published.pack, item_key=step_keys(other_version)[0])
    assert not ChecklistTick.objects.exists()


def test_the_inductee_of_one_trust_cannot_tick_another_trust_s_pack(
    published, other_pack, outsider, inductee
):
    other_version = other_pack.publish(user=outsider)
    with pytest.raises(PermissionDenied):
        records.tick(user=inductee, pack=other_pack, item_key=step_keys(other_version)[0])


def test_nothing_to_tick_before_the_first_publication(pack, inductee):
    with pytest.raises(ValidationError, match="no published checklist"):
        records.tick(user=inductee, pack=pack, item_key="0" * 32)


@pytest.mark.parametrize("who", ["reader", "inductee", "editor", "approver"])
def test_any_member_acknowledges_a_version_once(request, published, who):
    user = request.getfixturevalue(who)
    first, created = records.acknowledge(user=user, pack=published.pack, number=1)
    again, created_again = records.acknowledge(user=user, pack=published.pack, number="1")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.acknowledged_at == first.acknowledged_at
    assert Acknowledgement.objects.get().version == published


@pytest.mark.parametrize("who", ["outsider", "staff", "anonymous"])
def test_someone_outside_the_trust_cannot_acknowledge(request, published, who):
    published.pack.visibility = "public"
    published.pack.save()
    with pytest.raises(PermissionDenied, match="Only members of the trust"):
        records.acknowledge(user=request.getfixturevalue(who), pack=published.pack, number=1)
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize("number", [2, 0, -1, "one", None, "1.5"])
def test_a_version_that_does_not_exist_is_refused(published, reader, number):
    with pytest.raises(ValidationError, match="Choose a published version"):
        records.acknowledge(user=reader, pack=published.pack, number=number)
    assert not Acknowledgement.objects.exists()


def test_a_version_number_always_means_this_pack_s_own_version(
    published, other_pack, outsider, reader
):
    other_pack.publish(user=outsider)  # the other trust's version 1
    acknowledgement, _ = records.acknowledge(user=reader, pack=published.pack, number=1)
    assert acknowledgement.version == published
