"""Editing one section of the draft: its title and text, and the list its kind has
(responsibilities, people or checklist steps), previewed or saved.

The forms are `SectionEditor` (views/section_editor.py). Saving goes through
`services.save_section`, which checks the user may edit, validates and refuses to overwrite a
colleague's newer save; the page then shows both texts and nothing is lost. The page works
without JavaScript: previewing, adding blank rows and reordering rows are ordinary form
submissions, and pasted markup is converted and shown to check, not saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import kept_edits, services
from ..forms.base import attach_error
from ..forms.section_lists import formset_helper
from ..models import Section
from ..pasting.submitted import pasted_body
from ..pictures import library_entries
from ..saved_by import section_saved_by_words
from .access import Access, pack_view, section_or_404
from .navigation import edit_url, editor_crumbs
from .section_editor import SectionEditor

# How each row of a section's list is headed on the edit page ("Person 1", "Step 2"…).
FORMSET_LEGENDS = {Section.Kind.PEOPLE: "Person", Section.Kind.CHECKLIST: "Step"}


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT, keeps_edits=True)
def section_edit(request, pack, section_id):
    """Edit one section. "Preview" shows it as it would read, without saving; "Save" saves
    unless someone else saved first, in which case both texts are shown and nothing is lost.
    Changes kept over a sign-in (induction/kept_edits.py) fill the form, not yet saved. Either
    way, a text holding pasted markup is converted and shown to check, not saved."""
    section = section_or_404(pack, section_id)
    kept = kept_edits.take(request)
    data = request.POST if request.method == "POST" else kept
    # Markup pasted without JavaScript is converted and shown to check, never saved as it is.
    pasted = pasted_body(data) if data is not None else None
    editor = SectionEditor(section, pack.board_role.name, pasted.data if pasted else data)
    context = {
        "kept": kept is not None,
        "pack": pack,
        "trust": pack.trust,
        "section": section,
        "editor": editor,
        "form": editor.form,
        "formset": editor.formset,
        "formset_helper": formset_helper(FORMSET_LEGENDS.get(section.kind, "Item")),
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
                attach_error(editor.form, error)
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
                context["conflict_words"] = section_saved_by_words(
                    viewer=request.user, section=conflict.section
                )
            except ValidationError as error:
                attach_error(editor.form, error)
            else:
                messages.success(request, f"Saved the section “{section.title}”.")
                return redirect(edit_url(pack) + f"#section-{section.pk}")
    return render(request, "induction/edit/section_edit.html", context)
