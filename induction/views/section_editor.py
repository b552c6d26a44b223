"""The forms that edit one section of the draft, as one object: its title and text, plus the
list its kind has (responsibilities, people or checklist steps), and the preview of what they
would make. The section's edit page (views/section_editing.py) and its live preview
(views/writing.py) both use it, so the two previews cannot drift.
"""

from django.core.exceptions import SuspiciousOperation

from .. import services
from ..forms.editing import SectionForm
from ..forms.section_lists import (
    MORE_BLANK_ROWS,
    ItemFormSet,
    checklist_formset,
    overlay_formset,
    post_holder_formset,
)
from ..models import ResponsibilityOverlay, Section
from ..rendering import render_snapshot_html
from ..snapshot import section_snapshot


class SectionEditor:
    """The forms that edit one section: its title and text, plus the list its kind has."""

    # The sections whose list is rows the editor adds, reorders and removes.
    ITEM_FORMSETS = {
        Section.Kind.PEOPLE: post_holder_formset,
        Section.Kind.CHECKLIST: checklist_formset,
    }

    def __init__(self, section, board_role_name, data=None):
        self.section = section
        self.board_role_name = board_role_name
        self.form = SectionForm(
            data,
            kind=section.kind,
            initial={"title": section.title, "body": section.body, "revision": section.revision},
        )
        self.formset = None
        if section.kind == Section.Kind.RESPONSIBILITIES:
            overlays = list(
                ResponsibilityOverlay.objects.filter(section=section)
                .select_related("responsibility")
                .order_by("responsibility__kind", "responsibility__order", "pk")
            )
            self.formset = overlay_formset(
                overlays=overlays, data=data, board_role_name=board_role_name
            )
        elif section.kind in self.ITEM_FORMSETS:
            self.formset = self._item_formset(data=data)

    def _item_formset(self, **kwargs):
        make = self.ITEM_FORMSETS[self.section.kind]
        return make(section=self.section, board_role_name=self.board_role_name, **kwargs)

    def _check_untampered(self):
        """SuspiciousOperation (a 400 page) if the lists came back in a shape the page never
        sends."""
        if self.formset is not None and self.formset.is_tampered():
            raise SuspiciousOperation(
                f"The edit form of section {self.section.pk} came back altered: not saved."
            )

    def add_blank_rows(self):
        """Show what the editor typed again, neither saved nor checked, with more blank rows at
        the end of the list: how several people or steps are added without JavaScript. The
        rows come back in the order of their position boxes."""
        self._check_untampered()
        if not isinstance(self.formset, ItemFormSet):
            return
        typed = self.formset.typed_rows()
        blank = len(self.formset.forms) - len(typed) + MORE_BLANK_ROWS
        self.form = SectionForm(
            kind=self.section.kind,
            initial={name: self.form[name].data for name in self.form.fields},
        )
        self.formset = self._item_formset(typed=typed, blank_rows=blank)

    def is_valid(self):
        """Whether what was posted can be previewed or saved; SuspiciousOperation (a 400 page)
        if the lists came back in a shape the page never sends."""
        self._check_untampered()
        valid = self.form.is_valid()
        return (self.formset.is_valid() if self.formset is not None else True) and valid

    def changes(self):
        """Keyword arguments for `services.save_section`."""
        data = self.form.cleaned_data
        changes = {"title": data["title"], "body": data["body"]}
        kind = self.section.kind
        if kind == Section.Kind.RESPONSIBILITIES:
            changes["overlays"] = {
                form.cleaned_data["overlay"]: {
                    key: form.cleaned_data[key] for key in ("status", "delegated_to", "note")
                }
                for form in self.formset.forms
            }
        elif kind == Section.Kind.PEOPLE:
            changes["post_holders"] = self.formset.rows()
        elif kind == Section.Kind.CHECKLIST:
            changes["checklist"] = self.formset.rows()
        return changes

    def preview(self, anchor="preview"):
        """The section as it would read, from what the editor typed (sanitised), frozen by the
        same `section_snapshot` as publishing. ValidationError if a row breaks a model rule.
        `anchor` prefixes its ids, so the live preview and this one can share a page."""
        changes = self.changes()
        section = Section(kind=self.section.kind, title=changes["title"], body=changes["body"])
        lists = {}
        if "overlays" in changes:
            lists["overlays"] = services.overlays_with_changes(self.section, changes["overlays"])
        elif "post_holders" in changes:
            lists["post_holders"] = services.post_holder_rows(section, changes["post_holders"])
        elif "checklist" in changes:
            lists["checklist"] = services.checklist_rows(section, changes["checklist"])
        entry = {**section_snapshot(section, position=1, **lists), "anchor": anchor}
        return render_snapshot_html({"board_role_name": self.board_role_name, "sections": [entry]})
