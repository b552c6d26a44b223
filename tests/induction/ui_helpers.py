"""Helpers for the view tests: URLs of a pack's pages and versions made to measure.

`make_version` creates a published version row directly, with as many sections as a test
needs and any dates, so tests can measure query budgets and show overdue reviews without
waiting a year. Publishing itself is tested through `pack.publish` in the publishing tests.
"""

import datetime
import re

from django import forms
from django.urls import reverse
from django.utils import timezone

from induction.models import PackVersion


def page(name, pack, **kwargs):
    return reverse(f"induction:{name}", kwargs={"slug": pack.trust.slug, **kwargs})


def make_version(pack, number, *, sections=3, published_at=None, next_review_date=None, **fields):
    published_at = published_at or timezone.now() - datetime.timedelta(days=30 * (10 - number))
    content = {
        "format": "mdportal.induction-pack/1",
        "title": pack.title,
        "board_role_name": "Medical Director",
        "sections": [
            {
                "anchor": f"section-{index}",
                "title": f"Section {index} of version {number}",
                "kind": "markdown",
                "body": f"Text of section {index} in version {number}.",
            }
            for index in range(1, sections + 1)
        ],
    }
    html = "".join(
        f'<section class="app-pack-section" id="{s["anchor"]}"><h2>{s["title"]}</h2>'
        f"<p>{s['body']}</p></section>"
        for s in content["sections"]
    )
    return PackVersion.objects.create(
        pack=pack,
        number=number,
        content=content,
        rendered_html=html,
        published_at=published_at,
        next_review_date=next_review_date or (published_at + datetime.timedelta(days=365)).date(),
        **fields,
    )


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def section_post_data(section, **fields):
    """What the section's edit form posts when the editor changes nothing but `fields`.

    The lists of responsibilities, people and checklist steps are posted as they stand, with
    the blank extra row the page offers for people and steps.
    """
    data = {"title": section.title, "body": section.body, "revision": str(section.revision)}
    if section.kind == "responsibilities":
        overlays = list(
            section.overlays.order_by("responsibility__kind", "responsibility__order", "pk")
        )
        data.update(_management("overlays", len(overlays), len(overlays)))
        for index, overlay in enumerate(overlays):
            data[f"overlays-{index}-overlay"] = str(overlay.pk)
            data[f"overlays-{index}-status"] = overlay.status
            data[f"overlays-{index}-delegated_to"] = overlay.delegated_to
            data[f"overlays-{index}-note"] = overlay.note
    elif section.kind == "people":
        holders = list(section.post_holders.all())
        data.update(_management("people", len(holders) + 1, len(holders)))
        for index, holder in enumerate(holders):
            for key in ("name", "title", "relation", "contact"):
                data[f"people-{index}-{key}"] = getattr(holder, key)
    elif section.kind == "checklist":
        items = list(section.checklist.all())
        data.update(_management("checklist", len(items) + 1, len(items)))
        for index, item in enumerate(items):
            data[f"checklist-{index}-text"] = item.text
            data[f"checklist-{index}-category"] = item.category
            data[f"checklist-{index}-due_by_day"] = str(item.due_by_day)
        # The blank row's "By when?" select always posts its first choice.
        data[f"checklist-{len(items)}-due_by_day"] = "30"
    data.update(fields)
    return data


def hidden_value(html, name):
    """The value of the hidden input `name` as the page rendered it (what a browser posts)."""
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden input {name!r} on the page"
    return match.group(1)


def _bound_form_data(form):
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[form.add_prefix(name)] = "on"
        elif value is not None:
            data[form.add_prefix(name)] = value
    return data


def admin_change_data(response):
    """What an admin change page posts when saved as it was rendered: the object's form and
    each inline formset (management form included), hidden revisions and all."""
    data = _bound_form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_bound_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_bound_form_data(form))
    return data
