"""The pack editor for a trust's HR admins: the overview of the draft's sections, the draft's
preview, adding, moving and removing sections, and the pack's settings. Editing one section is
induction/views/section_editing.py; its national update, induction/views/national_updates.py.

Every change goes through induction/services/, which checks the user may edit, validates,
guards against two editors overwriting each other and writes the audit trail. The pages work
without JavaScript: moving a section is an ordinary form submission.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import kept_edits, services
from ..baseline import national_updates
from ..forms.base import attach_error
from ..forms.editing import PackSettingsForm, RevisionForm, SectionAddForm
from ..rendering import render_snapshot_html
from ..saved_by import saved_by_words, section_saved_by_words
from ..snapshot import snapshot_draft
from ..staff_access import end_time_words
from .access import Access, pack_view, section_or_404
from .navigation import draft_crumbs, edit_url, editor_crumbs, pack_crumbs


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
    form = SectionAddForm(request.POST or kept)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.add_section(pack=pack, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
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
    section = section_or_404(pack, section_id)
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
    section = section_or_404(pack, section_id)
    if request.method == "POST":
        form = RevisionForm(request.POST)
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
                f"{section_saved_by_words(viewer=request.user, section=conflict.section)}. "
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
    form = PackSettingsForm(request.POST or kept, initial=_settings_initial(pack))
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
            form = PackSettingsForm(initial=_settings_initial(stale.pack))
        except PermissionDenied as refusal:
            form.add_error("requires_approval", str(refusal))
        except ValidationError as error:
            attach_error(form, error)
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
