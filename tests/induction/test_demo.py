"""The demo data: two trusts that read as real ones, loaded idempotently, never in production."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from induction import demo
from induction.baseline import draft_national_revision, national_updates
from induction.models import AuditEvent, InductionPack, Membership, PackVersion, Section, Trust
from induction.national_checklist import BOARD_MEMBER_OBLIGATIONS
from induction.snapshot import snapshot_draft
from journey.models import Acknowledgement, ChecklistTick

DEMO_MODELS = (Trust, InductionPack, Section, PackVersion, Membership, AuditEvent,
               ChecklistTick, Acknowledgement)  # fmt: skip

# The baseline's prompts to the HR admin all start "Add …" or "add how …".
PLACEHOLDER_WORDS = ["add the", "add how", "lorem", "todo", "tbc", "placeholder", "xxx"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def loaded(national, settings, monkeypatch):
    """The demo as `make run` loads it with DEMO_PASSWORD unset, whatever the shell has set."""
    settings.DEMO_DATA_ALLOWED = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_load_demo_creates_the_two_trusts_as_specified(loaded):
    northshire = InductionPack.objects.get(trust__slug="northshire")
    southmoor = InductionPack.objects.get(trust__slug="southmoor")
    assert northshire.trust.name == "Northshire Hospitals NHS Foundation Trust"
    assert southmoor.trust.name == "Southmoor Community Health NHS Trust"
    assert (northshire.visibility, northshire.requires_approval) == ("public", False)
    assert (southmoor.visibility, southmoor.requires_approval) == ("members", True)
    assert (northshire.trust.kind, northshire.trust.region) == ("acute", "north_east_and_yorkshire")
    assert (southmoor.trust.kind, southmoor.trust.region) == ("community", "south_west")


def test_northshire_has_two_versions_the_second_with_a_change_summary(loaded):
    versions = PackVersion.objects.filter(pack__trust__slug="northshire").order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert "Dr Helen Price" in versions[1].change_summary
    assert "Andrew Kent" in versions[0].rendered_html
    assert "Dr Helen Price" in versions[1].rendered_html
    assert InductionPack.objects.get(trust__slug="northshire").status == "live"


def test_southmoor_shows_the_four_eyes_rule_at_work(loaded):
    pack = InductionPack.objects.get(trust__slug="southmoor")
    hr = get_user_model().objects.get(username="southmoor-hr")
    assert pack.versions.count() == 1
    assert pack.versions.get().approved_by == hr
    assert pack.status == "live_with_changes"
    assert not pack.can_publish(hr)
    # The second governance officer, who has not edited since version 1, can publish it.
    assert pack.eligible_publishers() == [get_user_model().objects.get(username="southmoor-cs")]


def test_demo_accounts_have_the_documented_roles(loaded):
    roles = {
        (m.user.username, m.trust.slug, m.role)
        for m in Membership.objects.select_related("user", "trust")
    }
    assert roles == {
        ("northshire-hr", "northshire", "editor"),
        ("northshire-hr", "northshire", "approver"),
        ("northshire-md", "northshire", "reader"),
        ("northshire-ned", "northshire", "reader"),
        ("southmoor-hr", "southmoor", "editor"),
        ("southmoor-hr", "southmoor", "approver"),
        ("southmoor-cs", "southmoor", "editor"),
        ("southmoor-cs", "southmoor", "approver"),
    }


@pytest.mark.parametrize("unset", [None, ""], ids=["unset", "empty"])
def test_without_demo_password_the_accounts_get_the_documented_default(
    national, settings, monkeypatch, unset
):
    settings.DEMO_DATA_ALLOWED = True
    if unset is None:
        monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("DEMO_PASSWORD", unset)
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for user in get_user_model().objects.all():
        assert user.check_password(demo.DEFAULT_DEMO_PASSWORD), user.username


def test_the_password_comes_from_demo_password(national, settings, monkeypatch):
    settings.DEMO_DATA_ALLOWED = True
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (
        get_user_model().objects.get(username="southmoor-hr").check_password("another-demo-secret")
    )


def test_running_it_twice_duplicates_nothing(loaded):
    counts = [
        model.objects.count()
        for model in DEMO_MODELS
    ] + [get_user_model().objects.count()]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert [model.objects.count() for model in DEMO_MODELS] + [
        get_user_model().objects.count()
    ] == counts


def test_nothing_is_loaded_without_the_explicit_opt_in_even_with_debug_on(
    national, settings, capsys
):
    settings.DEMO_DATA_ALLOWED = False
    settings.DEBUG = True
    call_command("load_demo")
    assert "Demo data not loaded" in capsys.readouterr().out
    assert not get_user_model().objects.exists()
    assert not Trust.objects.exists()


@pytest.mark.parametrize("slug", ["northshire", "southmoor"])
def test_the_published_packs_read_as_real_ones_without_placeholders(loaded, slug):
    version = PackVersion.objects.filter(pack__trust__slug=slug).order_by("-number").first()
    text = version.rendered_html.lower()
    for word in PLACEHOLDER_WORDS:
        assert word not in text, word
    assert "@example.nhs.uk" in text
    assert text.count("<svg") == 1
    for section in version.content["sections"]:
        assert section["body"].strip() or section["kind"] != "markdown", section["title"]


def test_load_demo_refuses_politely_without_the_national_data(national, settings):
    settings.DEMO_DATA_ALLOWED = True
    national.delete()  # undone when the test's transaction rolls back
    with pytest.raises(CommandError, match="loaddata roles"):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    assert not Trust.objects.exists()


def test_the_demo_function_itself_refuses_without_the_opt_in(national, settings):
    settings.DEMO_DATA_ALLOWED = False
    messages = []
    assert demo.load_demo(password="x", log=messages.append) is False
    assert messages == [demo.NOT_ALLOWED]
    assert not get_user_model().objects.exists()


@pytest.mark.django_db(transaction=True)
def test_load_demo_runs_for_real_outside_a_test_transaction(settings, tmp_path):
    """As `make run` does it: each publication is its own durable transaction and its PDF is
    made after commit (the immediate task backend)."""
    call_command("loaddata", "roles", verbosity=0)
    settings.DEMO_DATA_ALLOWED = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    versions = PackVersion.objects.order_by("pack__trust__slug", "number")
    assert [(v.pack.trust.slug, v.number) for v in versions] == [
        ("northshire", 1),
        ("northshire", 2),
        ("southmoor", 1),
    ]
    assert {v.pdf_status for v in versions} == {PackVersion.PdfStatus.READY}


@pytest.mark.parametrize("slug", ["northshire", "southmoor"])
def test_headings_in_the_published_packs_never_skip_a_level(loaded, slug):
    # Each section is an <h2>; Markdown "#" is an <h3>. A "###" in the baseline once made <h5>s.
    version = PackVersion.objects.filter(pack__trust__slug=slug).order_by("-number").first()
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", version.rendered_html)]
    assert levels and levels[0] == 2
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, (previous, current)


@pytest.mark.parametrize(
    ("slug", "number", "fixture"),
    [("northshire", 1, "northshire-v1"), ("northshire", 2, "northshire-v2"),
     ("southmoor", 1, "southmoor-v1")],
)  # fmt: skip
def test_each_published_demo_version_holds_exactly_its_fixture_file(loaded, slug, number, fixture):
    """The demo packs are data: what is published is the file, national text aside (the
    import takes only the trust's own choices, and the version freezes today's national text)."""
    content = PackVersion.objects.get(pack__trust__slug=slug, number=number).content
    expected = demo.demo_pack_data(fixture)
    assert content["title"] == expected["title"]
    assert [trust_text(s) for s in content["sections"]] == [
        trust_text(s) for s in expected["sections"]
    ]


def trust_text(section):
    """A snapshot section without the national text that a snapshot freezes from today's."""
    kept = {key: value for key, value in section.items() if key not in {"glossary"}}
    if "responsibilities" in kept:
        kept["responsibilities"] = sorted(
            (item["slug"], item["status"], item["delegated_to"], item["note"])
            for item in kept["responsibilities"]
        )
    return kept


def test_the_southmoor_draft_waiting_for_approval_is_its_fixture_file(loaded):
    pack = InductionPack.objects.get(trust__slug="southmoor")
    draft = snapshot_draft(pack)
    expected = demo.demo_pack_data("southmoor-draft")
    assert [trust_text(s) for s in draft["sections"]] == [
        trust_text(s) for s in expected["sections"]
    ]


DEMO_FILES = ["northshire-v1", "northshire-v2", "southmoor-v1", "southmoor-draft"]


def responsibility_note(fixture, slug):
    sections = demo.demo_pack_data(fixture)["sections"]
    items = next(s["responsibilities"] for s in sections if s.get("kind") == "responsibilities")
    return next(item for item in items if item["slug"] == slug)


def clinical_practice_body(fixture):
    sections = demo.demo_pack_data(fixture)["sections"]
    return next(s["body"] for s in sections if s["title"] == "Clinical practice arrangements")


@pytest.mark.parametrize("fixture", DEMO_FILES)
def test_no_demo_pack_has_the_md_revalidated_by_a_neighbouring_trusts_ro(fixture):
    # A Responsible Officer's own prescribed connection is to the higher-level Responsible
    # Officer at NHS England, not to the RO of another trust.
    text = json.dumps(demo.demo_pack_data(fixture))
    assert "Responsible Officer of a neighbouring trust" not in text


def test_northshire_v1_connects_its_md_ro_to_the_higher_level_ro():
    body = clinical_practice_body("northshire-v1")
    assert "prescribed connection is to the higher-level Responsible Officer at NHS England" in body
    assert responsibility_note("northshire-v1", "responsible-officer")["status"] == "held"


def test_northshire_v2_md_is_not_revalidated_by_the_deputy_they_line_manage():
    ro = responsibility_note("northshire-v2", "responsible-officer")
    assert (ro["status"], ro["delegated_to"]) == ("delegated", "Deputy Medical Director")
    # The deputy reports to the MD: a conflict of interest that needs an alternative RO.
    assert "line manager for the role" not in ro["note"]
    assert "conflict of interest" in ro["note"]
    assert "alternative Responsible Officer from outside the trust for you" in ro["note"]
    assert "higher-level Responsible Officer" in ro["note"]
    assert "alternative Responsible Officer" in clinical_practice_body("northshire-v2")
    assert "delegated" not in demo.NORTHSHIRE_V2_SUMMARY


@pytest.mark.parametrize("fixture", ["northshire-v1", "northshire-v2"])
def test_the_northshire_mhps_note_says_it_departs_from_national_guidance(fixture):
    note = responsibility_note(fixture, "doctors-disciplinary-issues")["note"]
    assert note.startswith("**This departs from national guidance.**")
    assert "MHPS framework makes the Medical Director the case manager" in note
    assert "Deputy Medical Director" in note


def test_the_published_northshire_pack_shows_the_departure_to_readers(loaded):
    version = PackVersion.objects.filter(pack__trust__slug="northshire").order_by("-number")[0]
    assert "<strong>This departs from national guidance.</strong>" in version.rendered_html


@pytest.mark.parametrize("fixture", DEMO_FILES)
def test_the_demo_glossaries_are_written_for_readers_not_for_the_portals_builders(fixture):
    sections = demo.demo_pack_data(fixture)["sections"]
    glossary = next(s for s in sections if s.get("kind") == "glossary")
    words = [glossary["body"]] + [entry["definition"] for entry in glossary["glossary"]]
    for text in words:
        assert "portal" not in text.lower(), text
        assert "the paper does not mention" not in text.lower(), text


@pytest.mark.parametrize("fixture", DEMO_FILES)
def test_every_demo_checklist_has_the_board_member_obligations(fixture):
    sections = demo.demo_pack_data(fixture)["sections"]
    steps = next(s["checklist"] for s in sections if s.get("kind") == "checklist")
    texts = {step["text"] for step in steps}
    assert {text for _category, text, _day in BOARD_MEMBER_OBLIGATIONS} <= texts


def test_the_demo_drafts_follow_the_national_text_and_versions_record_its_revision(loaded):
    for pack in InductionPack.objects.all():
        assert national_updates(pack) == []
        revision = draft_national_revision(pack)
        assert revision
        assert pack.versions.order_by("-number")[0].national_revision == revision
