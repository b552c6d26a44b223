"""The inductee's own checklist, "I have read this version", and the trust's dashboard. An
editor's pages about one member are journey/member_views.py; invitations are
journey/invitation_views.py."""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from induction.views.navigation import pack_crumbs

from . import records
from .access import members_pack_view, refuse
from .dashboard import dashboard_for, write_csv
from .progress import record_for

NO_RECORD = (
    "This checklist belongs to the member being inducted into the role. Your account has no "
    "induction record for this pack."
)
DASHBOARD_ONLY = "Only the trust's editors and approvers can see its induction dashboard."


def my_induction_url(pack):
    return reverse("journey:my_induction", kwargs={"slug": pack.trust.slug})


@require_http_methods(["GET", "POST"])
@members_pack_view
def my_induction(request, pack):
    """The inductee's own checklist: each step with its due date, ticked off (or back) with a
    form that needs no JavaScript. Only the inductee sees or changes their own record."""
    record = record_for(request.user, pack)
    if record is None:
        return refuse(request, pack, NO_RECORD)
    error = None
    if request.method == "POST":
        key = request.POST.get("step", "")
        done = request.POST.get("done")
        step = next((s for s in record.steps if s.key == key), None)
        try:
            if done not in ("yes", "no"):
                raise ValidationError("Choose whether the step is done.")
            if done == "yes":
                records.tick(user=request.user, pack=pack, item_key=key)
            else:
                records.untick(user=request.user, pack=pack, item_key=key)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            said = "Marked as done" if done == "yes" else "Marked as not done"
            messages.success(request, f"{said}: {step.text}" if step else f"{said}.")
            return redirect(f"{my_induction_url(pack)}#step-{key}")
    return render(
        request,
        "journey/my_induction.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "record": record,
            "error": error,
            "breadcrumbs": pack_crumbs(pack),
        },
        status=400 if error else 200,
    )


@require_POST
@members_pack_view
def acknowledge(request, pack):
    """ "I have read this version": records who, which version and when, once."""
    try:
        acknowledgement, created = records.acknowledge(
            user=request.user, pack=pack, number=request.POST.get("version")
        )
    except PermissionDenied as refusal:
        return refuse(request, pack, str(refusal))
    except ValidationError as refusal:
        return refuse(request, pack, refusal.messages[0], status=400)
    number = acknowledgement.version.number
    if created:
        messages.success(request, f"Thank you: we have recorded that you read version {number}.")
    else:
        when = timezone.localtime(acknowledgement.acknowledged_at)
        messages.info(
            request, f"You had already said you read version {number}, on {when:%-d %B %Y}."
        )
    return redirect(f"{acknowledgement.version.get_absolute_url()}#pack-status")


def _dashboard_refusal(request, pack):
    if pack.can_view_draft(request.user):
        return None
    return refuse(request, pack, DASHBOARD_ONLY, offer_staff_access=True)


@require_safe
@members_pack_view
def dashboard(request, pack):
    """Each member of the trust, their start date, checklist progress and the version they
    last said they read: for the trust's editors and approvers."""
    if refused := _dashboard_refusal(request, pack):
        return refused
    return render(
        request,
        "journey/dashboard.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "dashboard": dashboard_for(pack),
            "can_edit": pack.can_edit(request.user),
            "breadcrumbs": pack_crumbs(pack),
        },
    )


@require_safe
@members_pack_view
def dashboard_csv(request, pack):
    """The dashboard as a CSV file, safe to open in a spreadsheet."""
    if refused := _dashboard_refusal(request, pack):
        return refused
    out = io.StringIO()
    write_csv(dashboard_for(pack), out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{pack.trust.slug}-induction-{datetime.date.today():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
