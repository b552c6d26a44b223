"""A section's national update: what changed in the national text the section was made from,
and the choice to adopt the change or keep the trust's own text.

Both choices are draft edits through induction/services/, made with the section and national
revisions the page was loaded with: if either moved on, nothing is saved and the page is shown
afresh.
"""

import difflib

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..baseline import basis_text, national_updates
from ..comparison import compare_versions
from ..forms.editing import RevisionForm
from ..models import Section
from .access import Access, pack_view, section_or_404
from .navigation import edit_url, editor_crumbs


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
    the change or keep the trust's text. Both are draft edits through induction/services/,
    with the section and national revisions the page was loaded with: if either moved on,
    nothing is saved and the page is shown afresh."""
    section = section_or_404(pack, section_id)
    if request.method == "POST":
        form = RevisionForm(request.POST)
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
