"""The pack editor for a trust's HR admins: sections, their content, settings and preview.

Every change goes through induction/services.py, which checks the user may edit, validates,
guards against two editors overwriting each other and writes the audit trail. The pages work
without JavaScript: reordering and previewing are ordinary form submissions.
"""

import difflib
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import forms, kept_edits, pasting, services
from ..baseline import basis_text, national_updates
from ..comparison import compare_versions
from ..models import ResponsibilityOverlay, Section
from ..pictures import library_entries
from ..rendering import render_snapshot_html
from ..saved_by import saved_by_words
from ..snapshot import section_snapshot, snapshot_draft
from ..staff_access import end_time_words
from .access import Access, pack_view
from .navigation import draft_crumbs, edit_url, editor_crumbs, pack_crumbs

# How each row of a section's list is headed on the edit page ("Person 1", "Step 2"…).
FORMSET_LEGENDS = {Section.Kind.PEOPLE: "Person", Section.Kind.CHECKLIST: "Step"}


def _section(pack, section_id):
    # Looked up within the pack the user may edit: another trust's section id is a 404 here.
    return get_object_or_404(pack.sections.select_related("updated_by"), pk=section_id)


@require_safe
@pack_view(Access.EDIT)
def pack_edit(request, pack):
    """The editor's overview: status, approval, the sections with their actions, and what to
    do next. Platform staff acting as an editor are reminded of it, and offered to stop."""
    sections = list(pack.sections.all())
    # Read with the user's roles when the page was allowed: no query of its own.
    staff_access = pack.trust.staff_access_for(request.user)
    updates = national_updates(pack, sections)
    # The newest request for approval: waiting, or returned with comments the editors should
    # see until someone asks again.
    approval = pack.approval_requests.select_related("submitted_by", "responded_by").first()
    if approval is not None:
        approval.pack = pack  # the roles already read for this request are cached on it
    return render(
        request,
        "induction/edit/pack_edit.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "sections": sections,
            "latest": pack.latest_version,
            "staff_access": staff_access,
            "staff_access_until": end_time_words(staff_access) if staff_access else "",
            "national_updates": updates,
            "approval": approval,
            "can_return": approval is not None and approval.can_return(request.user),
            "move_directions": MOVE_DIRECTIONS,
            "focus": _focus_after_move(request, sections),
            "breadcrumbs": pack_crumbs(pack),
        },
    )


@require_safe
@pack_view(Access.DRAFT)
def draft_preview(request, pack):
    """The whole draft as it would read if published now (editors and approvers)."""
    can_edit = pack.can_edit(request.user)
    return render(
        request,
        "induction/edit/draft_preview.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "body": render_snapshot_html(snapshot_draft(pack)),
            "can_edit": can_edit,
            "breadcrumbs": draft_crumbs(pack, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT, keeps_edits=True)
def section_add(request, pack):
    kept = kept_edits.take(request)
    form = forms.SectionAddForm(request.POST or kept)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.add_section(pack=pack, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.attach_error(form, error)
        else:
            messages.success(request, f"Added the section “{section.title}”.")
            return redirect("induction:section_edit", slug=pack.trust.slug, section_id=section.pk)
    return render(
        request,
        "induction/edit/section_add.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "kept": kept is not None,
            "breadcrumbs": editor_crumbs(pack),
        },
    )


class _SectionEditor:
    """The forms that edit one section: its title and text, plus the list its kind has."""

    # The sections whose list is rows the editor adds, reorders and removes.
    ITEM_FORMSETS = {
        Section.Kind.PEOPLE: forms.post_holder_formset,
        Section.Kind.CHECKLIST: forms.checklist_formset,
    }

    def __init__(self, section, board_role_name, data=None):
        self.section = section
        self.board_role_name = board_role_name
        self.form = forms.SectionForm(
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
            self.formset = forms.overlay_formset(
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
        if not isinstance(self.formset, forms.ItemFormSet):
            return
        typed = self.formset.typed_rows()
        blank = len(self.formset.forms) - len(typed) + forms.MORE_BLANK_ROWS
        self.form = forms.SectionForm(
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


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT, keeps_edits=True)
def section_edit(request, pack, section_id):
    """Edit one section. "Preview" shows it as it would read, without saving; "Save" saves
    unless someone else saved first, in which case both texts are shown and nothing is lost.
    Changes kept over a sign-in (induction/kept_edits.py) fill the form, not yet saved. Either
    way, a text holding pasted markup is converted and shown to check, not saved."""
    section = _section(pack, section_id)
    kept = kept_edits.take(request)
    data = request.POST if request.method == "POST" else kept
    # Markup pasted without JavaScript is converted and shown to check, never saved as it is.
    pasted = pasting.pasted_body(data) if data is not None else None
    editor = _SectionEditor(section, pack.board_role.name, pasted.data if pasted else data)
    context = {
        "kept": kept is not None,
        "pack": pack,
        "trust": pack.trust,
        "section": section,
        "editor": editor,
        "form": editor.form,
        "formset": editor.formset,
        "formset_helper": forms.formset_helper(FORMSET_LEGENDS.get(section.kind, "Item")),
        "breadcrumbs": editor_crumbs(pack),
        "pasted": pasted,
        "pictures": library_entries(pack.trust),
    }
    if pasted is not None:
        if pasted.error:
            editor.form.add_error("body", pasted.error)
    elif request.method == "POST" and "add_rows" in request.POST:
        editor.add_blank_rows()
        context.update(form=editor.form, formset=editor.formset)
    elif request.method == "POST" and editor.is_valid():
        if "preview" in request.POST:
            try:
                context["preview"] = editor.preview()
            except ValidationError as error:
                forms.attach_error(editor.form, error)
        else:
            try:
                services.save_section(
                    section=section,
                    user=request.user,
                    expected_revision=editor.form.cleaned_data["revision"],
                    **editor.changes(),
                )
            except services.EditConflict as conflict:
                context["conflict"] = conflict.section
                context["conflict_words"] = _saved_by(request.user, conflict.section)
            except ValidationError as error:
                forms.attach_error(editor.form, error)
            else:
                messages.success(request, f"Saved the section “{section.title}”.")
                return redirect(edit_url(pack) + f"#section-{section.pk}")
    return render(request, "induction/edit/section_edit.html", context)


def _saved_by(viewer, section):
    """Who saved the section that stopped the viewer's change, and when, in words."""
    return saved_by_words(
        viewer=viewer,
        saved_by=section.updated_by,
        saved_at=section.updated_at,
        what="this section",
    )


def _changed_paragraphs(old_text, new_text):
    """Only the paragraphs that differ between two texts, each side joined with "…" between
    runs: a one-word correction must not be hidden in a whole section's text."""
    old_parts, new_parts = old_text.split("\n\n"), new_text.split("\n\n")
    matcher = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    old_runs, new_runs = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_runs.append("\n\n".join(old_parts[i1:i2]))
            new_runs.append("\n\n".join(new_parts[j1:j2]))
    return "\n\n…\n\n".join(old_runs), "\n\n…\n\n".join(new_runs)


def _one_section_diff(board_role_name, title, old_text, new_text):
    """What changed between two texts of one section, marked up by the comparison module."""
    old_text, new_text = _changed_paragraphs(old_text, new_text)

    def snapshot(text):
        return {
            "board_role_name": board_role_name,
            "sections": [{"title": title, "kind": Section.Kind.MARKDOWN, "body": text}],
        }

    return compare_versions(snapshot(old_text), snapshot(new_text))[0]


# What the two choices on the national update page do, and what the editor is told after.
NATIONAL_CHOICES = {
    "adopt": (services.adopt_national_update, "Adopted the updated national text in “{}”."),
    "keep": (
        services.keep_local_text,
        "Kept your text of “{}”. The update will not be offered again.",
    ),
}


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def section_national_update(request, pack, section_id):
    """What changed in the national text a section was made from, and the choice to adopt
    the change or keep the trust's text. Both are draft edits through induction/services.py,
    with the section and national revisions the page was loaded with: if either moved on,
    nothing is saved and the page is shown afresh."""
    section = _section(pack, section_id)
    if request.method == "POST":
        form = forms.RevisionForm(request.POST)
        choice = NATIONAL_CHOICES.get(request.POST.get("choice", ""))
        if not form.is_valid() or choice is None:
            raise SuspiciousOperation(
                f"The national update form of section {section.pk} came back altered."
            )
        act, done = choice
        try:
            act(
                section=section,
                user=request.user,
                expected_revision=form.cleaned_data["revision"],
                national_revision=request.POST.get("national_revision", ""),
            )
        except services.EditConflict:
            messages.error(
                request,
                f"“{section.title}” was changed by someone else while you were deciding, so "
                "nothing was saved. Check the section as it is now.",
            )
        except services.NationalTextMovedOn as moved:
            messages.error(request, " ".join(moved.messages))
        else:
            messages.success(request, done.format(section.title))
            return redirect(edit_url(pack))
        return redirect(
            "induction:section_national_update", slug=pack.trust.slug, section_id=section.pk
        )
    update = next(iter(national_updates(pack, [section])), None)
    context = {
        "pack": pack,
        "trust": pack.trust,
        "section": section,
        "update": update,
        "breadcrumbs": editor_crumbs(pack),
    }
    if update is not None:
        role_name = pack.board_role.name
        if not update.basis_unknown:
            context["national_change"] = _one_section_diff(
                role_name,
                section.title,
                basis_text(update.before),
                basis_text(update.after.basis()),
            )
        if update.edited_here or update.basis_unknown:
            context["draft_change"] = _one_section_diff(
                role_name, section.title, section.body, update.after.body
            )
    return render(request, "induction/edit/section_national_update.html", context)


# The overview's move buttons of each section, by the direction they post.
MOVE_DIRECTIONS = (("up", "Move up"), ("down", "Move down"))


def _focus_after_move(request, sections):
    """Which move button the overview focuses when it is shown again after one was pressed
    (`?moved=<id>&direction=up`): the same button of the same section, so that pressing it
    again moves it on; at the top or bottom, where that button is gone, its other one."""
    ids = [section.pk for section in sections]
    moved = request.GET.get("moved", "")
    if not (moved.isascii() and moved.isdigit() and len(moved) <= 18 and int(moved) in ids):
        return None
    index = ids.index(int(moved))
    direction = request.GET.get("direction")
    if direction == "up" and index == 0 or direction not in ("up", "down"):
        direction = "down"
    if direction == "down" and index == len(ids) - 1:
        direction = "up" if index else None
    return {"section": int(moved), "direction": direction}


@require_POST
@pack_view(Access.EDIT)
def section_move(request, pack, section_id):
    """Move a section one place up or down (a POST form per button, so no JavaScript). The
    overview comes back with the focus on the same button, ready to move the section on."""
    section = _section(pack, section_id)
    direction = request.POST.get("direction")
    try:
        services.move_section(section=section, user=request.user, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(edit_url(pack) + f"#section-{section.pk}")
    messages.success(request, f"Moved “{section.title}” {direction}.")
    # No #fragment: browsers ignore autofocus on a page opened at one.
    query = urlencode({"moved": section.pk, "direction": direction})
    return redirect(f"{edit_url(pack)}?{query}")


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def section_remove(request, pack, section_id):
    """Ask to confirm, then remove the section from the draft."""
    section = _section(pack, section_id)
    if request.method == "POST":
        form = forms.RevisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Something went wrong: the section was not removed.")
            return redirect(edit_url(pack))
        try:
            services.remove_section(
                section=section, user=request.user, expected_revision=form.cleaned_data["revision"]
            )
        except services.EditConflict as conflict:
            messages.error(
                request,
                f"“{section.title}” changed while you were deciding, so it was not removed. "
                f"{_saved_by(request.user, conflict.section)}. "
                "Check it, then remove it again if you still want to.",
            )
        else:
            messages.success(
                request,
                f"Removed the section “{section.title}” from the draft. Published versions "
                "keep their copy.",
            )
        return redirect(edit_url(pack))
    return render(
        request,
        "induction/edit/section_remove.html",
        {"pack": pack, "trust": pack.trust, "section": section, "breadcrumbs": editor_crumbs(pack)},
    )


def _settings_initial(pack):
    initial = {field: getattr(pack, field) for field in services.SETTINGS_FIELDS}
    return {**initial, "revision": pack.settings_revision}


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT, keeps_edits=True)
def pack_settings(request, pack):
    """The pack's settings. Only what the editor changed is saved, and only if nobody else
    changed the settings since the form was opened; otherwise both are shown, nothing saved."""
    kept = kept_edits.take(request)
    form = forms.PackSettingsForm(request.POST or kept, initial=_settings_initial(pack))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pack_settings(
                pack=pack,
                user=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.changed_settings(),
            )
        except services.SettingsConflict as stale:
            # Show what the editor asked for beside the settings as they are now, and a
            # fresh form loaded from the latter, so saving again is a deliberate choice.
            change = stale.pack.last_settings_change()
            conflict = {
                "current": stale.pack,
                "yours": form.changed_settings_display(),
                "saved_by": saved_by_words(
                    viewer=request.user,
                    saved_by=change.actor if change else None,
                    saved_at=change.created_at if change else None,
                    what="the settings",
                    pronoun="them",
                ),
            }
            form = forms.PackSettingsForm(initial=_settings_initial(stale.pack))
        except PermissionDenied as refusal:
            form.add_error("requires_approval", str(refusal))
        except ValidationError as error:
            forms.attach_error(form, error)
        else:
            messages.success(request, "Saved the pack's settings.")
            return redirect(edit_url(pack))
    return render(
        request,
        "induction/edit/pack_settings.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "conflict": conflict,
            "kept": kept is not None,
            "breadcrumbs": editor_crumbs(pack),
        },
    )
