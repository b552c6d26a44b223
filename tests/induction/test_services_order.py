"""Putting the draft's sections in a new order in one step (`services.reorder_sections`): what
the editor overview's drag and drop saves."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from induction import services
from induction.baseline import create_pack_from_baseline
from induction.models import AuditEvent, Section

from .conftest import load_national_data


def ids(pack):
    return list(pack.sections.values_list("pk", flat=True))


def titles(pack):
    return list(pack.sections.values_list("title", flat=True))


def moved(order, index, to):
    """`order` with the id at `index` taken out and put back at `to`."""
    order = list(order)
    order.insert(to, order.pop(index))
    return order


def reorders(pack):
    return AuditEvent.objects.filter(pack=pack, action=AuditEvent.Action.SECTIONS_REORDERED)


def test_a_dragged_section_lands_where_it_was_dropped_and_positions_stay_dense(pack, editor):
    before = ids(pack)
    glossary = pack.sections.get(title="Glossary")
    order = moved(before, before.index(glossary.pk), 2)
    words = services.reorder_sections(
        pack=pack, user=editor, order=order, expected_order=before, moved=glossary.pk
    )
    assert ids(pack) == order
    assert list(pack.sections.values_list("order", flat=True)) == list(range(1, len(order) + 1))
    assert words == f"Moved “Glossary” to position 3 of {len(order)}"


def test_the_audit_entry_names_the_moved_section_and_counts_as_a_draft_edit(pack, editor):
    before = ids(pack)
    revision = pack.draft_revision
    glossary = pack.sections.get(title="Glossary")
    services.reorder_sections(
        pack=pack,
        user=editor,
        order=moved(before, before.index(glossary.pk), 0),
        expected_order=before,
        moved=glossary.pk,
    )
    event = reorders(pack).get()
    assert event.actor == editor
    assert event.detail == f"Moved “Glossary” to position 1 of {len(before)}"
    pack.refresh_from_db()
    assert pack.draft_revision == revision + 1
    assert pack.last_edited_by == editor


def test_without_a_hint_the_section_out_of_line_is_named(pack, editor):
    before = ids(pack)
    welcome = pack.sections.get(title="Welcome")
    services.reorder_sections(
        pack=pack, user=editor, order=moved(before, 0, 5), expected_order=before
    )
    assert reorders(pack).get().detail == f"Moved “{welcome.title}” to position 6 of 10"


def test_two_neighbours_swapped_are_told_as_the_section_the_editor_moved(pack, editor):
    before = ids(pack)
    first, second = pack.sections.all()[:2]
    services.reorder_sections(
        pack=pack, user=editor, order=moved(before, 0, 1), expected_order=before, moved=first.pk
    )
    assert reorders(pack).get().detail == f"Moved “{first.title}” to position 2 of 10"
    assert ids(pack)[:2] == [second.pk, first.pk]


def test_a_hint_that_does_not_explain_the_order_is_not_believed(pack, editor):
    before = ids(pack)
    order = moved(before, 9, 0)  # Glossary to the top
    welcome = pack.sections.get(title="Welcome")
    services.reorder_sections(
        pack=pack, user=editor, order=order, expected_order=before, moved=welcome.pk
    )
    assert reorders(pack).get().detail == "Moved “Glossary” to position 1 of 10"


def test_several_sections_moved_at_once_are_all_named(pack, editor):
    before = ids(pack)
    order = list(reversed(before[:3])) + before[3:]
    services.reorder_sections(pack=pack, user=editor, order=order, expected_order=before)
    detail = reorders(pack).get().detail
    assert detail.startswith("Moved ")
    assert detail.count("to position") == 2
    assert ids(pack) == order


def test_the_same_order_changes_nothing_and_records_nothing(pack, editor):
    before = ids(pack)
    revision = pack.draft_revision
    assert (
        services.reorder_sections(pack=pack, user=editor, order=before, expected_order=before)
        is None
    )
    assert not reorders(pack).exists()
    pack.refresh_from_db()
    assert pack.draft_revision == revision


def test_an_order_from_before_a_colleague_moved_a_section_is_refused(pack, editor, second_editor):
    loaded = ids(pack)
    services.move_section(section=pack.sections.get(title="Welcome"), user=second_editor,
                          direction="down")  # fmt: skip
    after_colleague = ids(pack)
    with pytest.raises(services.OrderConflict, match="changed by someone else"):
        services.reorder_sections(
            pack=pack, user=editor, order=moved(loaded, 9, 0), expected_order=loaded
        )
    assert ids(pack) == after_colleague
    assert not reorders(pack).filter(actor=editor).exists()


def test_an_order_from_before_a_section_was_added_is_refused(pack, editor, second_editor):
    loaded = ids(pack)
    services.add_section(pack=pack, user=second_editor, title="Parking")
    with pytest.raises(services.OrderConflict):
        services.reorder_sections(
            pack=pack, user=editor, order=moved(loaded, 9, 0), expected_order=loaded
        )
    assert titles(pack)[-1] == "Parking"


def test_an_order_from_before_a_section_was_removed_is_refused(pack, editor, second_editor):
    loaded = ids(pack)
    gone = pack.sections.get(title="Welcome")
    services.remove_section(section=gone, user=second_editor, expected_revision=gone.revision)
    current = ids(pack)
    with pytest.raises(services.OrderConflict):
        services.reorder_sections(
            pack=pack, user=editor, order=moved(loaded, 9, 1), expected_order=loaded
        )
    assert ids(pack) == current


def test_two_reorders_from_the_same_loaded_page_the_second_is_refused(pack, editor, second_editor):
    loaded = ids(pack)
    first = moved(loaded, 9, 0)
    services.reorder_sections(pack=pack, user=editor, order=first, expected_order=loaded)
    with pytest.raises(services.OrderConflict):
        services.reorder_sections(
            pack=pack, user=second_editor, order=moved(loaded, 0, 9), expected_order=loaded
        )
    assert ids(pack) == first
    assert list(reorders(pack).values_list("actor", flat=True)) == [editor.pk]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda order, foreign: order[:-1], id="missing"),
        pytest.param(lambda order, foreign: order + [order[0]], id="duplicated"),
        pytest.param(lambda order, foreign: [*order[:-1], order[0]], id="one twice one missing"),
        pytest.param(lambda order, foreign: [*order[:-1], foreign], id="another pack's"),
        pytest.param(lambda order, foreign: [*order, foreign], id="another pack's added"),
        pytest.param(lambda order, foreign: [], id="empty"),
    ],
)
def test_an_order_that_is_not_the_draft_s_sections_rearranged_is_refused(
    pack, other_pack, editor, change
):
    before = ids(pack)
    order = change(list(reversed(before)), other_pack.sections.first().pk)
    with pytest.raises(ValidationError, match="every section of the draft once"):
        services.reorder_sections(pack=pack, user=editor, order=order, expected_order=before)
    assert ids(pack) == before
    assert not reorders(pack).exists()
    assert ids(other_pack) == list(other_pack.sections.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "order",
    [
        pytest.param("1,2,3", id="a string"),
        pytest.param(["1", "2"], id="strings"),
        pytest.param([True, False], id="booleans"),
        pytest.param([1.0, 2.0], id="floats"),
        pytest.param(None, id="nothing"),
        pytest.param(list(range(1, 1000)), id="more than a pack can have"),
    ],
)
def test_an_order_that_is_not_a_list_of_section_numbers_is_refused(pack, editor, order):
    before = ids(pack)
    with pytest.raises(ValidationError):
        services.reorder_sections(pack=pack, user=editor, order=order, expected_order=before)
    assert ids(pack) == before


@pytest.mark.parametrize("who", ["reader", "approver", "outsider", "staff", "anonymous"])
def test_only_an_editor_may_reorder(request, pack, who):
    user = request.getfixturevalue(who)
    before = ids(pack)
    with pytest.raises(PermissionDenied, match="Only an editor of this trust"):
        services.reorder_sections(
            pack=pack, user=user, order=list(reversed(before)), expected_order=before
        )
    assert ids(pack) == before
    assert not reorders(pack).exists()


def test_platform_staff_acting_as_an_editor_may_reorder(pack, staff_acting):
    before = ids(pack)
    services.reorder_sections(
        pack=pack, user=staff_acting, order=list(reversed(before)), expected_order=before
    )
    assert reorders(pack).get().actor == staff_acting


def _reorder_in_thread(pack_id, user, order, loaded, barrier, outcomes):
    try:
        from induction.models import InductionPack

        pack = InductionPack.objects.select_related("trust").get(pk=pack_id)
        barrier.wait(timeout=10)
        services.reorder_sections(pack=pack, user=user, order=order, expected_order=loaded)
        outcomes.append("saved")
    except services.OrderConflict:
        outcomes.append("conflict")
    except Exception as error:  # reported to the main thread below
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_reorders_at_the_same_moment_one_is_refused(trust, editor, second_editor):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; run on PostgreSQL for real concurrency.")
    load_national_data()
    pack = create_pack_from_baseline(trust=trust)
    loaded = ids(pack)
    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(
            target=_reorder_in_thread,
            args=(pack.pk, user, order, loaded, barrier, outcomes),
        )
        for user, order in ((editor, moved(loaded, 9, 0)), (second_editor, moved(loaded, 0, 9)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"], outcomes
    assert Section.objects.filter(pack=pack).count() == len(loaded)
    assert reorders(pack).count() == 1
