"""The command line: export_pack, import_pack and publish_pack, with clear errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from induction.models import AuditEvent, PackVersion
from induction.snapshot import FORMAT, snapshot_draft

from .conftest import edit_draft, one_space_edit


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def write_json(tmp_path, data, name="pack.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_export_writes_the_draft_as_json(pack):
    data = json.loads(run("export_pack", "testshire"))
    assert data["format"] == FORMAT
    assert data == json.loads(json.dumps(snapshot_draft(pack)))
    assert all("title" in section for section in data["sections"])


def test_export_a_published_version(published, editor):
    data = json.loads(run("export_pack", "testshire", "--version", "1"))
    assert data == published.content


def test_export_of_a_missing_version_lists_the_published_ones(published):
    with pytest.raises(CommandError, match=r"has no version 4 \(published versions: 1\)"):
        run("export_pack", "testshire", "--version", "4")


def test_export_of_an_unknown_trust_names_the_known_ones(pack):
    with pytest.raises(CommandError, match="no trust with the slug 'nowhere'.*testshire"):
        run("export_pack", "nowhere")


def test_export_of_a_trust_without_a_pack(other_trust):
    with pytest.raises(CommandError, match="has no medical-director induction pack"):
        run("export_pack", "elsewhere")


def test_import_replaces_the_draft(pack, tmp_path):
    path = write_json(
        tmp_path,
        {
            "sections": [
                {"title": "Welcome", "body": "Hello."},
                {"title": "Glossary", "kind": "glossary"},
            ]
        },
    )
    output = run("import_pack", "testshire", path)
    assert "Imported 2 sections" in output
    assert list(pack.sections.values_list("title", flat=True)) == ["Welcome", "Glossary"]


def test_export_then_import_round_trips(pack, tmp_path):
    exported = run("export_pack", "testshire")
    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")
    run("import_pack", "testshire", str(path))
    assert json.loads(run("export_pack", "testshire")) == json.loads(exported)


def test_an_invalid_import_names_each_problem_and_changes_nothing(pack, tmp_path):
    data = snapshot_draft(pack)
    data["sections"][2]["responsibilities"][0]["status"] = "sometimes"
    data["sections"][0]["title"] = ""
    before = snapshot_draft(pack)
    with pytest.raises(CommandError) as error:
        run("import_pack", "testshire", write_json(tmp_path, data))
    message = str(error.value)
    assert message.startswith("Nothing was imported")
    assert "2 problems" in message
    assert "sections[2].responsibilities[0].status: must be one of held, delegated" in message
    assert "sections[0].title: must not be empty" in message
    assert snapshot_draft(pack) == before


def test_import_of_broken_json_says_where(pack, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"sections": [', encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON: .* line 1"):
        run("import_pack", "testshire", str(path))


def test_import_of_a_missing_file(pack, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("import_pack", "testshire", str(tmp_path / "absent.json"))


def test_publish_prints_the_new_version_number(pack, editor_approver):
    first = run("publish_pack", "testshire", "--user", "hr-admin")
    edit_draft(pack, editor_approver)
    second = run("publish_pack", "testshire", "--user", "hr-admin", "--summary", "Two")
    assert first.splitlines() == [
        "Published version 1 of Medical Director induction pack "
        "(Testshire Hospitals NHS Foundation Trust)."
    ]
    assert second.splitlines() == [
        "Published version 2 of Medical Director induction pack "
        "(Testshire Hospitals NHS Foundation Trust)."
    ]
    version = PackVersion.objects.get(number=2)
    assert (version.published_by, version.change_summary) == (editor_approver, "Two")


def test_publish_follows_the_same_rules_as_the_portal(pack, reader, editor_approver):
    with pytest.raises(CommandError) as refused:
        run("publish_pack", "testshire", "--user", "reader")
    assert str(refused.value) == (
        "Testshire Hospitals NHS Foundation Trust's pack was not published: Only an editor or "
        "approver of this trust can publish this pack."
    )
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver)
    with pytest.raises(CommandError, match="was not published: .*a different approver"):
        run("publish_pack", "testshire", "--user", "hr-admin")
    assert not PackVersion.objects.exists()


def test_publish_refuses_an_approver_who_edited_before_another_editor(
    pack, editor_approver, second_editor, approver
):
    pack.requires_approval = True
    pack.save()
    edit_draft(pack, editor_approver, text="The approver's own change.")
    one_space_edit(pack, second_editor)
    with pytest.raises(CommandError, match="was not published: .*a different approver"):
        run("publish_pack", "testshire", "--user", "hr-admin")
    assert not PackVersion.objects.exists()
    assert run("publish_pack", "testshire", "--user", "approver").startswith(
        "Published version 1 of "
    )


def test_publish_of_an_unchanged_draft_is_refused_and_makes_no_version(published, editor_approver):
    with pytest.raises(CommandError) as refused:
        run("publish_pack", "testshire", "--user", "hr-admin")
    assert str(refused.value) == (
        "Testshire Hospitals NHS Foundation Trust's pack was not published: Nothing has "
        "changed since version 1, so there is nothing to publish."
    )
    assert list(PackVersion.objects.values_list("number", flat=True)) == [1]


def test_publish_as_an_unknown_user(pack):
    with pytest.raises(CommandError, match="no active user 'ghost'"):
        run("publish_pack", "testshire", "--user", "ghost")


def test_import_as_a_named_editor_records_them_as_the_last_editor(pack, editor, tmp_path):
    path = write_json(tmp_path, {"sections": [{"title": "Welcome", "body": "Hello."}]})
    run("import_pack", "testshire", path, "--user", "editor")
    pack.refresh_from_db()
    assert pack.last_edited_by == editor


def test_import_without_a_named_user_is_refused_under_the_approval_rule(pack, tmp_path):
    pack.requires_approval = True
    pack.save()
    before = snapshot_draft(pack)
    path = write_json(tmp_path, {"sections": [{"title": "Welcome", "body": "Hello."}]})
    with pytest.raises(CommandError) as refused:
        run("import_pack", "testshire", path)
    assert str(refused.value) == (
        "Nothing was imported: Testshire Hospitals NHS Foundation Trust's pack needs approval "
        "by a second person, so the import must name the editor who is importing. Name who "
        "is importing with --user USERNAME."
    )
    assert snapshot_draft(pack) == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORTED).exists()


def test_import_as_someone_who_is_not_an_editor_is_refused(pack, reader, tmp_path):
    path = write_json(tmp_path, {"sections": [{"title": "Welcome", "body": "Hello."}]})
    with pytest.raises(CommandError) as refused:
        run("import_pack", "testshire", path, "--user", "reader")
    assert str(refused.value) == (
        "Nothing was imported: Only an editor of this trust can change its induction pack."
    )
    assert pack.sections.count() == 10


def test_import_accepts_a_file_saved_with_a_byte_order_mark(pack, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"sections": [{"title": "A", "body": "B"}]}).encode()
    )
    run("import_pack", "testshire", str(path))
    assert list(pack.sections.values_list("title", flat=True)) == ["A"]


# --- malformed files: a message each, never a traceback, nothing changed --------------------


def _raw(tmp_path, text, name="pack.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nests lists or objects far more deeply"),
        (
            json.dumps({"sections": [{"title": "Welcome", "body": "a\x00b"}]}),
            r"sections\[0\]\.body: contains a character that cannot be stored",
        ),
        (
            '{"sections": [{"title": "Lone \\ud800 surrogate", "body": ""}]}',
            r"sections\[0\]\.title: contains a character that cannot be stored",
        ),
        (
            json.dumps({"sections": [{"title": "Deep", "body": "", "x": [[[[[[[[[[[1]]]]]]]]]]]}]}),
            "nested more deeply than the format allows",
        ),
        (
            json.dumps({"trust": "elsewhere", "sections": [{"title": "Welcome", "body": ""}]}),
            "trust: this file is a pack of 'elsewhere', not of 'testshire'",
        ),
        (
            '{"sections": [{"title": "Welcome", "body": "", "kind": ' + "9" * 5000 + "}]}",
            "has a number far longer than any in a pack file",
        ),
        (
            json.dumps({"sections": [{"title": "Wel\u202ecome", "body": ""}]}),
            r"sections\[0\]\.title: Remove the invisible formatting characters",
        ),
    ],
    ids=["deep json", "nul", "lone surrogate", "deep data", "another trust", "huge number", "bidi"],
)
def test_a_malformed_import_file_gets_a_message_and_changes_nothing(pack, tmp_path, text, message):
    before = snapshot_draft(pack)
    with pytest.raises(CommandError, match=message):
        run("import_pack", "testshire", _raw(tmp_path, text))
    assert snapshot_draft(pack) == before


def test_a_folder_instead_of_a_file_gets_a_message(pack, tmp_path):
    with pytest.raises(CommandError, match="is a folder, not a file"):
        run("import_pack", "testshire", str(tmp_path))
