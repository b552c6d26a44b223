"""Importing a pack from its JSON format: validated, all or nothing, and under the same rules
as every other draft edit (who may edit, and who wrote the draft for the four-eyes rule)."""

import copy

import pytest
from django.core.exceptions import PermissionDenied

from induction import services
from induction.importing import ImporterRequired, ImportInvalid, import_draft, validate_import
from induction.models import AuditEvent, InductionPack, Section
from induction.snapshot import snapshot_draft


@pytest.fixture
def content(pack):
    return snapshot_draft(pack)


ONE_SECTION = {"sections": [{"title": "Only section", "body": "Imported text."}]}


# --- importing valid data -------------------------------------------------------------------


def test_export_then_import_round_trips(pack, editor, content):
    import_draft(pack, copy.deepcopy(content), user=editor)
    assert snapshot_draft(pack)["sections"] == content["sections"]
    assert AuditEvent.objects.filter(action="imported", actor=editor).exists()


def test_a_section_given_as_title_and_body_is_free_markdown(pack):
    import_draft(pack, {"sections": [{"title": "Only section", "body": "# Hello"}]}, user=None)
    [section] = pack.sections.all()
    assert (section.kind, section.title, section.body, section.order) == (
        "markdown",
        "Only section",
        "# Hello",
        1,
    )


def test_an_imported_responsibilities_section_covers_every_national_responsibility(pack, editor):
    import_draft(
        pack,
        {
            "sections": [
                {
                    "title": "The role",
                    "kind": "responsibilities",
                    "responsibilities": [
                        {
                            "slug": "responsible-officer",
                            "status": "delegated",
                            "delegated_to": "Deputy Medical Director",
                            "title": "ignored on import",
                        },
                    ],
                }
            ]
        },
        user=editor,
    )
    overlays = Section.objects.get(pack=pack).overlays.all()
    assert overlays.count() == pack.board_role.responsibilities.count()
    ro = overlays.get(responsibility__slug="responsible-officer")
    assert (ro.status, ro.delegated_to) == ("delegated", "Deputy Medical Director")
    assert ro.responsibility.title != "ignored on import"


def test_an_imported_title_change_makes_an_open_settings_form_stale(pack, editor):
    opened_at = InductionPack.objects.get(pk=pack.pk).settings_revision
    import_draft(pack, {**ONE_SECTION, "title": "Our MD handbook"}, user=editor)
    assert InductionPack.objects.get(pk=pack.pk).title == "Our MD handbook"
    with pytest.raises(services.SettingsConflict):
        services.update_pack_settings(
            pack=pack, user=editor, expected_revision=opened_at, visibility="public"
        )
    assert InductionPack.objects.get(pk=pack.pk).visibility == "members"


# --- invalid data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["sections"][2]["responsibilities"][1].update(status="maybe"),
            "sections[2].responsibilities[1].status: "
            "must be one of held, delegated, not_applicable",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(
                status="delegated", delegated_to=""
            ),
            "sections[2].responsibilities[0].delegated_to: name the post it is delegated to",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(slug="juggling"),
            "sections[2].responsibilities[0].slug: 'juggling' is not a national responsibility",
        ),
        (lambda d: d["sections"][0].update(title=""), "sections[0].title: must not be empty"),
        (lambda d: d["sections"][0].update(body="x" * 50_001), "sections[0].body: The text is"),
        (lambda d: d["sections"][0].update(body="a\x00b"), "sections[0].body: The text contains"),
        (lambda d: d["sections"][1].update(kind="video"), "sections[1].kind: must be one of"),
        (
            lambda d: d["sections"][6]["checklist"][0].update(due_by_day=45),
            "sections[6].checklist[0].due_by_day: must be one of 7, 30, 60, 100",
        ),
        (
            lambda d: d["sections"][6]["checklist"][0].update(category="party"),
            "sections[6].checklist[0].category: must be one of meet, read, training",
        ),
        (
            lambda d: d["sections"][3].update(
                post_holders=[{"name": "A", "title": "B", "relation": "boss"}]
            ),
            "sections[3].post_holders[0].relation: must be one of",
        ),
        (
            lambda d: d["sections"][0].update(stauts="held"),
            "sections[0].stauts: is not a field this format knows",
        ),
        (
            lambda d: d["sections"][0].update(checklist=[]),
            "sections[0].checklist: only a section of kind checklist has checklist",
        ),
        (lambda d: d.update(format="something/2"), "format: must be 'mdportal.induction-pack/1'"),
        (lambda d: d.update(sections=[]), "sections: must be a list with at least one section"),
        (lambda d: d["sections"].append("not an object"), "sections[10]: must be an object"),
    ],
)
def test_invalid_import_names_the_problem_and_changes_nothing(pack, content, mutate, message):
    data = copy.deepcopy(content)
    mutate(data)
    errors = validate_import(data, pack=pack)
    assert any(error.startswith(message) for error in errors), errors
    before = snapshot_draft(pack)
    with pytest.raises(ImportInvalid) as raised:
        import_draft(pack, data, user=None)
    assert any(m.startswith(message) for m in raised.value.messages)
    assert snapshot_draft(pack) == before
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_every_problem_is_reported_at_once(pack):
    errors = validate_import(
        {
            "sections": [
                {"title": ""},
                {"title": "ok", "kind": "checklist", "checklist": [{"category": "x", "text": ""}]},
            ]
        },
        pack=pack,
    )
    assert len(errors) == 3


def test_import_of_something_other_than_an_object_is_refused(pack):
    assert validate_import(["sections"], pack=pack) == [
        "The file must hold a JSON object with a list of sections"
    ]


# --- who may import -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reader", "approver", "outsider", "anonymous"])
def test_an_import_by_someone_who_is_not_an_editor_is_refused_and_changes_nothing(
    request, pack, content, who
):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        import_draft(pack, ONE_SECTION, user=user)
    assert snapshot_draft(pack) == content
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_an_unnamed_import_into_a_pack_that_needs_approval_is_refused_and_changes_nothing(
    pack, content
):
    pack.requires_approval = True
    pack.save()
    with pytest.raises(ImporterRequired, match="must name the editor who is importing"):
        import_draft(pack, ONE_SECTION, user=None)
    assert snapshot_draft(pack) == content
    assert not AuditEvent.objects.filter(action="imported").exists()


def test_an_unnamed_import_is_allowed_where_no_second_person_must_approve(pack):
    import_draft(pack, ONE_SECTION, user=None)
    assert list(pack.sections.values_list("title", flat=True)) == ["Only section"]
    event = AuditEvent.objects.get(action="imported")
    assert (event.actor, event.detail) == (None, "Imported 1 section")


def test_an_import_makes_the_importer_a_draft_editor_for_the_approval_rule(
    pack, editor_approver, approver
):
    pack.requires_approval = True
    pack.save()
    assert pack.can_publish(editor_approver)  # nothing edited yet
    import_draft(pack, ONE_SECTION, user=editor_approver)
    assert editor_approver.pk in pack.draft_editor_ids
    assert pack.can_publish(editor_approver) is False
    assert pack.can_publish(approver) is True
