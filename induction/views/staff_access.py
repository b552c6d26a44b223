"""Platform staff starting and stopping acting as an editor of a trust.

The refusal page of a management page offers the step to staff; these views take its form.
The rules and the audit entries are in induction/staff_access.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms.staff_access import StaffAccessForm
from ..staff_access import start_staff_access, stop_staff_access
from .access import staff_pack_view
from .navigation import act_as_editor_url, edit_url, pack_crumbs, pack_url


@require_http_methods(["GET", "POST"])
@staff_pack_view
def act_as_editor(request, pack):
    """Ask platform staff why they need to change the trust's pack, then let them act as its
    editor for a limited time and send them to the editor. Anyone who can edit the pack
    already is sent straight there."""
    if pack.can_edit(request.user):
        return redirect(edit_url(pack))
    form = StaffAccessForm(request.POST or None, action=act_as_editor_url(pack))
    if request.method == "POST" and form.is_valid():
        try:
            start_staff_access(pack=pack, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.message_dict["reason"])
        else:
            # The editor says how long for, and offers to stop (induction/edit/pack_edit.html).
            return redirect(edit_url(pack))
    return render(
        request,
        "induction/act_as_editor.html",
        {"pack": pack, "trust": pack.trust, "form": form, "breadcrumbs": pack_crumbs(pack)},
    )


@require_POST
@staff_pack_view
def stop_acting_as_editor(request, pack):
    """End the staff member's access to the trust now (recorded in its audit trail) and go
    back to the pack's reading page, which they may still read."""
    if stop_staff_access(pack=pack, user=request.user):
        messages.success(request, f"You have stopped acting as an editor of {pack.trust.name}.")
    return redirect(pack_url(pack))
