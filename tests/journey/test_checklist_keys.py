"""A checklist step keeps its key through the editor and through export and import, so an
inductee's tick stays with the step; unchanged rows are kept when a list section is saved."""

from induction.importing import import_draft
from induction.snapshot import snapshot_draft
from tests.induction.ui_helpers import page, section_post_data


def checklist_of(pack):
    return pack.sections.get(kind="checklist")


def posted_with_keys(section, **fields):
    """What the editor's page posts: the hidden key of each step as the page drew it."""
    data = section_post_data(section, **fields)
    for index, item in enumerate(section.checklist.all()):
        data[f"checklist-{index}-key"] = item.key
    return data


def test_saving_the_checklist_keeps_every_step_and_its_key(client, pack, editor):
    client.force_login(editor)
    section = checklist_of(pack)
    before = list(section.checklist.values_list("key", "text"))
    response = client.post(
        page("section_edit", pack, section_id=section.pk), posted_with_keys(section, body="New.")
    )
    assert response.status_code == 302
    assert list(section.checklist.values_list("key", "text")) == before


def test_saving_a_list_section_unchanged_keeps_its_rows(client, pack, editor):
    """A regression: rows the editor did not touch were dropped as if they were the blank
    extra row, so saving a title change emptied the checklist."""
    client.force_login(editor)
    section = checklist_of(pack)
    count = section.checklist.count()
    client.post(page("section_edit", pack, section_id=section.pk),
                section_post_data(section, title="The first 100 days"))  # fmt: skip
    assert section.checklist.count() == count
    people = pack.sections.get(kind="people")
    client.post(page("section_edit", pack, section_id=people.pk), {
        **section_post_data(people), "people-0-name": "Dr Ada Jones",
        "people-0-title": "Chief Executive", "people-0-relation": "reports_to"})  # fmt: skip
    client.post(page("section_edit", pack, section_id=people.pk),
                section_post_data(people.__class__.objects.get(pk=people.pk)))  # fmt: skip
    assert people.post_holders.count() == 1


def test_a_reworded_step_keeps_its_key(client, pack, editor):
    client.force_login(editor)
    section = checklist_of(pack)
    first = section.checklist.first()
    data = posted_with_keys(section, **{"checklist-0-text": "Meet the Chief Executive, Dr Ada"})
    client.post(page("section_edit", pack, section_id=section.pk), data)
    assert section.checklist.get(key=first.key).text == "Meet the Chief Executive, Dr Ada"


def test_a_key_that_is_not_the_section_s_own_or_comes_twice_is_replaced(
    client, pack, other_pack, editor
):
    client.force_login(editor)
    section = checklist_of(pack)
    keys = list(section.checklist.values_list("key", flat=True))
    foreign = checklist_of(other_pack).checklist.first().key
    data = posted_with_keys(section)
    data["checklist-0-key"] = foreign
    data["checklist-2-key"] = keys[1]
    client.post(page("section_edit", pack, section_id=section.pk), data)
    saved = list(section.checklist.values_list("key", flat=True))
    assert len(saved) == len(set(saved)) == len(keys)
    assert foreign not in saved
    assert saved[1] == keys[1] and saved[2] != keys[1]


def test_a_new_step_gets_a_new_key(client, pack, editor):
    client.force_login(editor)
    section = checklist_of(pack)
    keys = set(section.checklist.values_list("key", flat=True))
    data = posted_with_keys(section)
    count = len(keys)
    data[f"checklist-{count}-text"] = "Meet the Guardian of Safe Working"
    data[f"checklist-{count}-category"] = "meet"
    client.post(page("section_edit", pack, section_id=section.pk), data)
    new = section.checklist.get(text="Meet the Guardian of Safe Working")
    assert new.key not in keys and len(new.key) == 32


def test_export_then_import_keeps_the_keys(pack, other_pack, editor, outsider):
    exported = snapshot_draft(pack)
    keys = [i["key"] for s in exported["sections"] if s["kind"] == "checklist"
            for i in s["checklist"]]  # fmt: skip
    exported["trust"] = other_pack.trust.slug
    import_draft(other_pack, exported, user=outsider)
    assert list(checklist_of(other_pack).checklist.values_list("key", flat=True)) == keys
