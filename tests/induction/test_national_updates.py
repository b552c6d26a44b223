"""National updates reach packs: a draft records the national text it was built from, its
editors are offered each later change to adopt or decline, and a version records the national
revision it was published with."""

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied

from induction import services
from induction.baseline import combined_revision, draft_national_revision, national_updates
from induction.importing import import_draft
from induction.models import AuditEvent, Section
from induction.national_checklist import BOARD_MEMBER_OBLIGATIONS, NATIONAL_CHECKLIST
from induction.national_text import national_sections
from induction.snapshot import snapshot_draft
from roles.models import Finding, Responsibility

from .ui_helpers import page

NOTICE = "The national text has been updated since this draft was made"
CORRECTED = "Boards that share the agenda with their Medical Director get franker advice."


def correct_a_national_statement() -> Finding:
    """A correction of the national text, as a new fixture would bring: a finding that the
    'Working with the board' section quotes gets new words."""
    finding = Finding.objects.filter(kind=Finding.Kind.BOARD_SUPPORT).order_by("order").first()
    finding.text = CORRECTED
    finding.save(update_fields=["text"])
    return finding


def board_section(pack) -> Section:
    return pack.sections.get(baseline_key="board")


def update_url(section) -> str:
    return page("section_national_update", section.pack, section_id=section.pk)


def current_national_revision(pack) -> str:
    keys = set(pack.sections.exclude(baseline_key="").values_list("baseline_key", flat=True))
    national = national_sections(trust=pack.trust, role=pack.board_role)
    return combined_revision([(n.key, n.revision) for n in national if n.key in keys])


def choose(client, section, choice, *, national_revision=None, revision=None):
    update = national_updates(section.pack, [section])
    offered = national_revision or (update[0].after.revision if update else "")
    return client.post(
        update_url(section),
        {
            "revision": section.revision if revision is None else revision,
            "national_revision": offered,
            "choice": choice,
        },
    )


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_a_new_pack_records_the_national_text_of_each_baseline_section(pack):
    national = {n.key: n for n in national_sections(trust=pack.trust, role=pack.board_role)}
    sections = list(pack.sections.all())
    assert [s.baseline_key for s in sections] == list(national)
    for section in sections:
        assert section.national_revision == national[section.baseline_key].revision
        assert section.national_basis["body"] == section.body
    assert national_updates(pack) == []


def test_a_national_revision_changes_with_any_word_of_the_national_text(pack):
    before = {n.key: n.revision for n in national_sections(trust=pack.trust, role=pack.board_role)}
    correct_a_national_statement()
    after = {n.key: n.revision for n in national_sections(trust=pack.trust, role=pack.board_role)}
    assert [key for key in before if before[key] != after[key]] == ["board"]


def test_a_changed_national_statement_is_offered_adopted_and_published_with_its_revision(
    signed_in, pack, editor
):
    first = pack.publish(user=editor)
    old_revision = first.national_revision
    assert old_revision == current_national_revision(pack)

    correct_a_national_statement()
    html = signed_in.get(page("pack_edit", pack)).content.decode()
    assert NOTICE in html
    section = board_section(pack)
    assert f'href="{update_url(section)}"' in html

    review = unescape(signed_in.get(update_url(section)).content.decode())
    assert "What changed in the national text" in review
    assert f"<ins>{CORRECTED.split()[0]}" in review or CORRECTED.split()[-1] in review
    assert "What adopting it would change in your draft" not in review  # not edited here

    response = choose(signed_in, section, "adopt")
    assert response.status_code == 302
    section.refresh_from_db()
    assert CORRECTED in section.body
    assert national_updates(pack) == []
    assert NOTICE not in signed_in.get(page("pack_edit", pack)).content.decode()
    event = AuditEvent.objects.filter(pack=pack).first()
    assert event.action == AuditEvent.Action.SECTION_EDITED
    assert event.actor == editor and "Adopted the updated national text" in event.detail

    second = pack.publish(user=editor)
    assert CORRECTED in second.rendered_html
    assert second.national_revision == current_national_revision(pack) != old_revision
    first.refresh_from_db()
    assert first.national_revision == old_revision


def test_keeping_the_trust_text_changes_nothing_but_stops_the_offer(signed_in, pack, editor):
    section = board_section(pack)
    services.save_section(
        section=section, user=editor, expected_revision=section.revision, body="Our own words."
    )
    correct_a_national_statement()
    review = signed_in.get(update_url(section)).content.decode()
    assert "What adopting it would change in your draft" in review
    revision = pack.draft_revision

    section.refresh_from_db()
    assert choose(signed_in, section, "keep").status_code == 302
    section.refresh_from_db()
    assert section.body == "Our own words."
    assert national_updates(pack) == []
    pack.refresh_from_db()
    assert pack.draft_revision == revision + 1
    assert "Kept the trust's text" in AuditEvent.objects.filter(pack=pack).first().detail
    assert pack.publish(user=editor).national_revision == current_national_revision(pack)


def test_a_further_national_change_is_offered_after_keeping(pack, editor):
    finding = correct_a_national_statement()
    section = board_section(pack)
    offered = national_updates(pack)[0].after.revision
    services.keep_local_text(
        section=section, user=editor, expected_revision=section.revision, national_revision=offered
    )
    finding.text = "A second correction."
    finding.save(update_fields=["text"])
    assert [u.section.pk for u in national_updates(pack)] == [section.pk]


def test_readers_approvers_and_other_trusts_cannot_see_or_adopt_an_update(
    client, pack, reader, approver, outsider
):
    correct_a_national_statement()
    section = board_section(pack)
    for user, status in ((reader, 403), (approver, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get(update_url(section)).status_code == status
        assert choose(client, section, "adopt").status_code == status
        edit = client.get(page("pack_edit", pack))
        assert NOTICE not in edit.content.decode()
    section.refresh_from_db()
    assert CORRECTED not in section.body
    assert len(national_updates(pack)) == 1
    with pytest.raises(PermissionDenied):
        services.adopt_national_update(
            section=section,
            user=reader,
            expected_revision=section.revision,
            national_revision=national_updates(pack)[0].after.revision,
        )


def test_adopting_from_a_stale_page_is_a_conflict_and_saves_nothing(signed_in, pack, editor):
    correct_a_national_statement()
    section = board_section(pack)
    stale = section.revision
    offered = national_updates(pack)[0].after.revision
    services.save_section(
        section=section, user=editor, expected_revision=stale, body="Changed meanwhile."
    )
    with pytest.raises(services.EditConflict):
        services.adopt_national_update(
            section=section, user=editor, expected_revision=stale, national_revision=offered
        )
    response = choose(signed_in, section, "adopt", revision=stale, national_revision=offered)
    assert response.status_code == 302 and response.url == update_url(section)
    messages = signed_in.get(response.url).content.decode()
    assert "was changed by someone else while you were deciding" in unescape(messages)
    section.refresh_from_db()
    assert section.body == "Changed meanwhile."


def test_two_editors_adopting_at_once_make_one_edit(pack, editor, second_editor):
    correct_a_national_statement()
    section = board_section(pack)
    loaded, offered = section.revision, national_updates(pack)[0].after.revision
    services.adopt_national_update(
        section=section, user=editor, expected_revision=loaded, national_revision=offered
    )
    again = Section.objects.get(pk=section.pk)
    with pytest.raises(services.EditConflict):
        services.adopt_national_update(
            section=again, user=second_editor, expected_revision=loaded, national_revision=offered
        )
    adopted = AuditEvent.objects.filter(pack=pack, detail__startswith="Adopted")
    assert adopted.count() == 1


def test_a_national_text_that_moved_on_again_is_not_adopted_unseen(pack, editor):
    finding = correct_a_national_statement()
    section = board_section(pack)
    offered = national_updates(pack)[0].after.revision
    finding.text = "Changed again after the editor looked."
    finding.save(update_fields=["text"])
    with pytest.raises(services.NationalTextMovedOn):
        services.adopt_national_update(
            section=section, user=editor, expected_revision=section.revision,
            national_revision=offered,
        )  # fmt: skip
    section.refresh_from_db()
    assert "Changed again" not in section.body


def test_adopting_a_checklist_update_adds_new_steps_and_keeps_the_trust_ones(
    pack, editor, monkeypatch
):
    checklist = pack.sections.get(baseline_key="checklist")
    rows = [
        {"category": i.category, "text": i.text, "due_by_day": i.due_by_day, "key": i.key}
        for i in checklist.checklist.all()
    ]
    rows.append({"category": "meet", "text": "Meet the trust's own lead", "due_by_day": 30})
    services.save_section(
        section=checklist, user=editor, expected_revision=checklist.revision, checklist=rows
    )
    keys_before = set(checklist.checklist.values_list("key", flat=True))
    new_step = ("read", "Read the new national guidance", 30)
    dropped = BOARD_MEMBER_OBLIGATIONS[2]
    national = [step for step in NATIONAL_CHECKLIST if step != dropped]
    monkeypatch.setattr("induction.national_text.NATIONAL_CHECKLIST", [*national, new_step])
    # A new release of the code: the national text kept for the old one is not used.
    monkeypatch.setattr("page_cache.store.code_version", lambda: "the-next-release")

    checklist.refresh_from_db()
    update = national_updates(pack, [checklist])[0]
    services.adopt_national_update(
        section=checklist,
        user=editor,
        expected_revision=checklist.revision,
        national_revision=update.after.revision,
    )
    texts = list(checklist.checklist.values_list("text", flat=True))
    assert "Meet the trust's own lead" in texts
    assert new_step[1] in texts
    assert dropped[1] not in texts
    kept_keys = set(checklist.checklist.values_list("key", flat=True))
    assert len(keys_before - kept_keys) == 1  # only the dropped step's key is gone


def test_adopting_adds_a_new_national_responsibility_held(pack, editor, national):
    section = pack.sections.get(baseline_key="role")
    Responsibility.objects.create(
        role=national,
        slug="new-national-duty",
        title="A new national duty",
        description="Added to the national model after the pack was made.",
        kind=Responsibility.Kind.CORE,
        order=99,
    )
    update = national_updates(pack, [section])[0]
    titles = [title for _slug, title, _description in update.after.basis()["responsibilities"]]
    assert "A new national duty" in titles
    services.adopt_national_update(
        section=section,
        user=editor,
        expected_revision=section.revision,
        national_revision=update.after.revision,
    )
    overlay = section.overlays.get(responsibility__slug="new-national-duty")
    assert overlay.status == "held"


def test_an_import_keeps_track_of_the_national_text_of_each_section(pack, editor):
    revision = draft_national_revision(pack)
    import_draft(pack, snapshot_draft(pack), user=editor)
    assert draft_national_revision(pack) == revision
    correct_a_national_statement()
    assert [u.section.baseline_key for u in national_updates(pack)] == ["board"]


def test_the_update_notice_costs_a_fixed_number_of_queries(signed_in, pack, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    correct_a_national_statement()
    services.add_section(pack=pack, user=editor, title="Local", body="Ours.")
    signed_in.get(page("pack_edit", pack))  # the national text is built once, then kept
    with CaptureQueriesContext(connection) as few:
        signed_in.get(page("pack_edit", pack))
    for n in range(3):
        services.add_section(pack=pack, user=editor, title=f"Local {n}", body="Ours.")
    with CaptureQueriesContext(connection) as more:
        assert NOTICE in signed_in.get(page("pack_edit", pack)).content.decode()
    assert len(more) == len(few)


def test_the_national_text_is_built_again_only_after_a_change(signed_in, pack, editor):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # as after a restart: making the pack kept the national text
    with CaptureQueriesContext(connection) as building:
        assert NOTICE not in signed_in.get(page("pack_edit", pack)).content.decode()
    with CaptureQueriesContext(connection) as kept:
        signed_in.get(page("pack_edit", pack))
    assert len(kept) < len(building)
    # A draft edit does not touch the national text; a national correction does.
    services.add_section(pack=pack, user=editor, title="Local", body="Ours.")
    with CaptureQueriesContext(connection) as after_an_edit:
        signed_in.get(page("pack_edit", pack))
    assert len(after_an_edit) < len(building)
    correct_a_national_statement()
    assert NOTICE in signed_in.get(page("pack_edit", pack)).content.decode()


# --- drafts made before the national text was tracked (migration 0009) ------------------------


def track_older_drafts():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("induction.migrations.0009_track_national_text_of_older_drafts")
    migration.track_older_drafts(apps, None)


def test_a_draft_made_before_tracking_is_offered_today_s_national_text_to_compare(
    signed_in, pack
):
    checklist = pack.sections.get(kind="checklist")
    steps_before = list(checklist.checklist.values_list("category", "text", "due_by_day"))
    # As a draft made before migration 0008: nothing recorded about its national text.
    pack.sections.update(baseline_key="", national_revision="", national_basis={})
    pack.sections.create(kind="markdown", title="Our own section", body="Local.", order=99)
    assert national_updates(pack) == []

    track_older_drafts()

    updates = national_updates(pack)
    assert {update.section.baseline_key for update in updates} == {
        "welcome", "trust", "role", "people", "board", "clinical_practice", "checklist",
        "support", "documents", "glossary",
    }  # fmt: skip
    assert all(update.basis_unknown for update in updates)
    assert not pack.sections.get(title="Our own section").baseline_key

    edit = unescape(signed_in.get(page("pack_edit", pack)).content.decode())
    assert "Compare “Your first 100 days” with today's national text" in edit
    review = unescape(signed_in.get(update_url(checklist)).content.decode())
    assert "made before the portal recorded which national text" in review
    assert "Your text beside today's national text" in review

    # Adopting today's text adds no step the draft already has.
    checklist.refresh_from_db()
    response = choose(signed_in, checklist, "adopt")
    checklist.refresh_from_db()
    assert response.status_code == 302
    steps_after = list(checklist.checklist.values_list("category", "text", "due_by_day"))
    assert len(steps_after) == len(set(steps_after))
    assert set(steps_before) <= set(steps_after)
    assert national_updates(pack, [checklist]) == []


def test_tracking_older_drafts_leaves_drafts_that_already_record_their_national_text(pack):
    recorded = list(pack.sections.values_list("id", "baseline_key", "national_revision"))
    track_older_drafts()
    assert list(pack.sections.values_list("id", "baseline_key", "national_revision")) == recorded
