"""Drafts made before 0008 recorded nothing about the national text they came from, so they were
never offered national updates. Give each of their sections that came from the baseline its
national key with an unknown basis: its editors are then offered today's national text to
compare with their own, and can adopt it or keep theirs."""

from django.db import migrations

# The baseline's sections (induction/national_text.py, national_sections): those of one kind are
# found by kind, the Markdown ones by the title the baseline gave them.
BY_KIND = {
    "responsibilities": "role",
    "people": "people",
    "checklist": "checklist",
    "glossary": "glossary",
}
MARKDOWN_BY_TITLE = {
    "Welcome": "welcome",
    "Working with the board": "board",
    "Clinical practice arrangements": "clinical_practice",
    "Support and development": "support",
    "Key documents and contacts": "documents",
}


def baseline_key(section, trust_name):
    if section.kind in BY_KIND:
        return BY_KIND[section.kind]
    if section.kind == "markdown":
        if section.title == f"About {trust_name}":
            return "trust"
        return MARKDOWN_BY_TITLE.get(section.title, "")
    return ""


def track_older_drafts(apps, schema_editor):
    Section = apps.get_model("induction", "Section")
    tracked_packs = (
        Section.objects.exclude(baseline_key="").values_list("pack_id", flat=True).distinct()
    )
    sections = (
        Section.objects.exclude(pack_id__in=tracked_packs)
        .select_related("pack__trust")
        .order_by("pack_id", "order", "id")
    )
    claimed = set()
    for section in sections:
        key = baseline_key(section, section.pack.trust.name)
        if key and (section.pack_id, key) not in claimed:
            claimed.add((section.pack_id, key))
            Section.objects.filter(pk=section.pk).update(
                baseline_key=key, national_revision="", national_basis={}
            )


class Migration(migrations.Migration):
    dependencies = [("induction", "0008_national_revisions")]

    operations = [migrations.RunPython(track_older_drafts, migrations.RunPython.noop)]
