"""Importing a pack from its JSON format: validated, all or nothing, and under the same rules
as every other draft edit (who may edit, and who wrote the draft for the four-eyes rule)."""

import copy

import pytest
from django.core.exceptions import PermissionDenied

from induction import services
from induction.importing import (
    DraftChangedSinceLoaded,
    ImporterRequired,
    ImportInvalid,
    import_draft,
    replace_draft,
    validate_import,
)
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


def test_an_imported_responsibility_that_is_not_delegated_keeps_no_post_as_in_the_editor(
    pack, editor
):
    """The model's `clean()` is the one owner of "a delegated responsibility names its post,
    any other keeps none", for the import as for the editor's form and the services."""
    responsibility = {"slug": "responsible-officer", "status": "held", "delegated_to": "Nobody"}
    section = {"title": "The role", "kind": "responsibilities",
               "responsibilities": [responsibility]}  # fmt: skip
    import_draft(pack, {"sections": [section]}, user=editor)
    overlay = Section.objects.get(pack=pack).overlays.get(
        responsibility__slug="responsible-officer"
    )
    assert (overlay.status, overlay.delegated_to) == ("held", "")


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
            "sections[2].responsibilities[0].delegated_to: Enter the post this responsibility "
            "is delegated to, for example Director of Nursing",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(slug="juggling"),
            "sections[2].responsibilities[0].slug: 'juggling' is not a national responsibility",
        ),
        (lambda d: d["sections"][0].update(title=""), "sections[0].title: must not be empty"),
        (lambda d: d["sections"][0].update(body="x" * 50_001), "sections[0].body: The text is"),
        (
            lambda d: d["sections"][0].update(body="a\x00b"),
            "sections[0].body: contains a character that cannot be stored",
        ),
        (lambda d: d["sections"][1].update(kind="video"), "sections[1].kind: must be one of"),
        (
            lambda d: d["sections"][6]["checklist"][0].update(due_by_day=45),
            "sections[6].checklist[0].due_by_day: must be one of 7, 30, 60, 91, 100, 182",
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
        # The pack's own title: empty, blank, too long, not text.
        (lambda d: d.update(title=""), "title: must not be empty"),
        (lambda d: d.update(title="   "), "title: must not be empty"),
        (lambda d: d.update(title="x" * 201), "title: must be at most 200 characters"),
        (lambda d: d.update(title=42), "title: must be text"),
        (lambda d: d["sections"][0].update(title=" \t "), "sections[0].title: must not be empty"),
        (lambda d: d["sections"][0].update(title="x" * 201), "sections[0].title: must be at most"),
        (lambda d: d["sections"][0].pop("title"), "sections[0].title: must be text"),
        # Fields this format does not know, and files for another pack.
        (lambda d: d.update(sectoins=[]), "(top level).sectoins: is not a field this format knows"),
        (
            lambda d: d.update(board_role="chair"),
            "board_role: this pack is for 'medical-director', not 'chair'",
        ),
        # Responsibilities: notes are Markdown, slugs appear once, posts are named and short.
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(note="a\x07b"),
            "sections[2].responsibilities[0].note: The text contains an invisible control",
        ),
        # Text no database column can hold, and data nested deeper than the format.
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(note="a\x00b"),
            "sections[2].responsibilities[0].note: contains a character that cannot be stored",
        ),
        (
            lambda d: d["sections"][0].update(title="Wel\x00come"),
            "sections[0].title: contains a character that cannot be stored",
        ),
        (
            lambda d: d["sections"][0].update(title="Wel\ud800come"),
            "sections[0].title: contains a character that cannot be stored",
        ),
        (
            lambda d: d["sections"][0].update({"ti\x00tle": "x"}),
            "sections[0]: has a key with a character that cannot be stored",
        ),
        (
            lambda d: d["sections"][0].update(body=[[[[[[[[[[["deep"]]]]]]]]]]]),
            "sections[0].body[0][0][0][0][0][0][0][0]: is nested more deeply than the format",
        ),
        (
            lambda d: d.update(trust="elsewhere"),
            "trust: this file is a pack of 'elsewhere', not of 'testshire'",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"].append(
                {"slug": d["sections"][2]["responsibilities"][0]["slug"], "status": "held"}
            ),
            "sections[2].responsibilities[18].slug: 'clinical-strategy' appears twice",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(
                status="delegated", delegated_to="   "
            ),
            "sections[2].responsibilities[0].delegated_to: Enter the post this responsibility "
            "is delegated to, for example Director of Nursing",
        ),
        (
            lambda d: d["sections"][2]["responsibilities"][0].update(
                status="delegated", delegated_to="x" * 201
            ),
            "sections[2].responsibilities[0].delegated_to: must be at most 200 characters",
        ),
        # Titles and names refuse invisible characters, as on every other path.
        (
            lambda d: d.update(title="Induction\u202e kcab"),
            "title: Remove the invisible formatting characters",
        ),
        (
            lambda d: d["sections"][0].update(title="Wel\u200bcome"),
            "sections[0].title: Remove the invisible formatting characters",
        ),
        (
            lambda d: d["sections"][3].update(
                post_holders=[{"name": "Dr A\u2066", "title": "CEO", "relation": "reports_to"}]
            ),
            "sections[3].post_holders[0].name: Remove the invisible formatting characters",
        ),
        (
            lambda d: d["sections"][3].update(
                post_holders=[{"name": "Dr A", "title": "\ufeffCEO", "relation": "reports_to"}]
            ),
            "sections[3].post_holders[0].title: Remove the invisible formatting characters",
        ),
        (
            lambda d: d["sections"][0].update(body="[policy](https://nhs\u200b.example/)"),
            "sections[0].body: The address of the link “policy” contains an invisible",
        ),
        # People and checklist steps.
        (
            lambda d: d["sections"][3].update(
                post_holders=[{"title": "Chief Executive", "relation": "reports_to"}]
            ),
            "sections[3].post_holders[0].name: must be text",
        ),
        (
            lambda d: d["sections"][3].update(
                post_holders=[
                    {"name": "A", "title": "B", "relation": "reports_to", "contact": "x" * 201}
                ]
            ),
            "sections[3].post_holders[0].contact: must be at most 200 characters",
        ),
        (
            lambda d: d["sections"][6]["checklist"][0].update(text="x" * 301),
            "sections[6].checklist[0].text: must be at most 300 characters",
        ),
        # Count limits: 200 items in a section, 40 sections.
        (
            lambda d: d["sections"][6].update(checklist=[{"category": "meet", "text": "A"}] * 201),
            "sections[6].checklist: has 201 entries; at most 200 are allowed",
        ),
        (
            lambda d: d.update(sections=[{"title": f"Section {n}"} for n in range(41)]),
            "sections: has 41 sections; at most 40 allowed",
        ),
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


# Malformed data, as a hand-edited file can hold it: each is a message, never a traceback.
MALFORMED = {
    "slug as a list": (
        lambda d: d["sections"][2]["responsibilities"][0].update(slug=["clinical-strategy"]),
        "sections[2].responsibilities[0].slug: ['clinical-strategy'] is not a national",
    ),
    "slug as an object": (
        lambda d: d["sections"][2]["responsibilities"][0].update(slug={"a": 1}),
        "sections[2].responsibilities[0].slug: {'a': 1} is not a national",
    ),
    "items as text": (
        lambda d: d["sections"][2].update(responsibilities="clinical-strategy"),
        "sections[2].responsibilities: must be a list",
    ),
    "an item as text": (
        lambda d: d["sections"][6].update(checklist=["Meet the chair"]),
        "sections[6].checklist[0]: must be an object",
    ),
    "sections as a number": (lambda d: d.update(sections=5), "sections: must be a list"),
    "sections as an object": (
        lambda d: d.update(sections={"title": "One"}),
        "sections: must be a list",
    ),
    "a title as a number": (
        lambda d: d["sections"][0].update(title=3),
        "sections[0].title: must be text",
    ),
    "a body as a number": (
        lambda d: d["sections"][0].update(body=3),
        "sections[0].body: Enter the text as plain text.",
    ),
    "a note as a list": (
        lambda d: d["sections"][2]["responsibilities"][0].update(note=["text"]),
        "sections[2].responsibilities[0].note: Enter the text as plain text.",
    ),
    "a kind as a list": (
        lambda d: d["sections"][1].update(kind=["markdown"]),
        "sections[1].kind: must be one of",
    ),
    "a timing as a list": (
        lambda d: d["sections"][6]["checklist"][0].update(due_by_day=[30]),
        "sections[6].checklist[0].due_by_day: must be one of",
    ),
}


@pytest.mark.parametrize("mutate, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_data_is_reported_not_crashed_on(pack, content, mutate, message):
    data = copy.deepcopy(content)
    mutate(data)
    assert any(error.startswith(message) for error in validate_import(data, pack=pack))
    with pytest.raises(ImportInvalid):
        import_draft(pack, data, user=None)
    assert snapshot_draft(pack) == content


def test_text_at_its_length_limit_and_the_most_items_are_accepted(pack, content):
    data = copy.deepcopy(content)
    data["title"] = "T" * 200
    data["sections"][0]["title"] = "S" * 200
    data["sections"][6]["checklist"] = [{"category": "meet", "text": "x" * 300}] * 200
    data["sections"][2]["responsibilities"][0].update(status="delegated", delegated_to="D" * 200)
    data["sections"] += [{"title": f"Extra {n}"} for n in range(40 - len(data["sections"]))]
    assert validate_import(data, pack=pack) == []
    import_draft(pack, data, user=None)
    pack.refresh_from_db()
    assert pack.title == "T" * 200
    assert pack.sections.count() == 40


def test_imported_titles_lose_stray_spaces(pack):
    import_draft(
        pack, {"title": "  Our MD handbook  ", "sections": [{"title": "  Welcome  "}]}, user=None
    )
    pack.refresh_from_db()
    assert pack.title == "Our MD handbook"
    assert list(pack.sections.values_list("title", flat=True)) == ["Welcome"]


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


# --- replacing a draft that moved on ---------------------------------------------------------


def test_a_draft_edited_after_the_page_was_loaded_is_not_replaced(pack, editor, second_editor):
    """What a restore's confirmation page needs: a colleague's later edit is never undone by a
    page loaded before it."""
    loaded_at = InductionPack.objects.get(pk=pack.pk).draft_revision
    welcome = pack.sections.get(order=1)
    services.save_section(
        section=welcome, user=second_editor, expected_revision=welcome.revision,
        body="A colleague's newer welcome.",
    )  # fmt: skip
    with pytest.raises(DraftChangedSinceLoaded, match="The draft changed while you were"):
        replace_draft(
            pack, ONE_SECTION, user=editor, action=AuditEvent.Action.RESTORED,
            detail="Restored", expected_draft_revision=loaded_at,
        )  # fmt: skip
    assert pack.sections.get(order=1).body == "A colleague's newer welcome."
    assert not AuditEvent.objects.filter(action="restored").exists()


def test_a_draft_unchanged_since_the_page_was_loaded_is_replaced(pack, editor):
    loaded_at = InductionPack.objects.get(pk=pack.pk).draft_revision
    replace_draft(
        pack, ONE_SECTION, user=editor, action=AuditEvent.Action.RESTORED, detail="Restored",
        expected_draft_revision=loaded_at,
    )  # fmt: skip
    assert list(pack.sections.values_list("title", flat=True)) == ["Only section"]


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


def _pack_with_checklist(steps):
    return {"sections": [{"title": "First 100 days", "kind": "checklist", "checklist": steps}]}


def test_import_keeps_each_checklist_steps_key_so_inductees_ticks_survive(pack, editor):
    key = "0123456789abcdef0123456789abcdef"
    data = _pack_with_checklist([{"key": key, "category": "meet", "text": "Meet the Chair"}])
    import_draft(pack, data, user=editor)
    assert list(pack.sections.get(kind="checklist").checklist.values_list("key", flat=True)) == [
        key
    ]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([{"key": "NOT-HEX", "category": "meet", "text": "Meet the Chair"}], "32 lowercase"),
        ([{"key": 7, "category": "meet", "text": "Meet the Chair"}], "32 lowercase"),
        (
            [
                {"key": "a" * 32, "category": "meet", "text": "Meet the Chair"},
                {"key": "a" * 32, "category": "read", "text": "Read the board papers"},
            ],
            "same key",
        ),
    ],
)
def test_import_refuses_malformed_or_repeated_checklist_keys(pack, steps, message):
    errors = validate_import(_pack_with_checklist(steps), pack=pack)
    assert any(message in error for error in errors), errors
