"""The publish page: freeze the draft into a new version, under the pack's approval rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import forms, services
from ..models import Membership
from ..snapshot import snapshot_draft
from .access import Access, pack_view
from .navigation import draft_crumbs


def _approvers(pack):
    """Who may publish when the four-eyes rule applies: approvers other than the last editor."""
    memberships = (
        Membership.objects.filter(trust=pack.trust, role=Membership.Role.APPROVER)
        .exclude(user_id=pack.last_edited_by_id)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return [membership.user for membership in memberships]


@require_http_methods(["GET", "POST"])
@pack_view(Access.DRAFT)
def publish(request, pack):
    """Show what publishing would change and who may publish; publish on POST.

    `pack.publish` makes the decision (permission and four-eyes rule); this page only
    explains it beforehand and shows its message if it refuses.
    """
    form = forms.PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = pack.publish(
                user=request.user, change_summary=form.cleaned_data["change_summary"]
            )
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, f"Published version {version.number}. Readers now see this version."
            )
            return redirect("induction:version_read", slug=pack.trust.slug, number=version.number)
    latest = pack.latest_version
    draft = snapshot_draft(pack)
    changes = None
    if latest is not None:
        changes = [diff for diff in services.compare_versions(latest, draft) if diff.changed]
    can_edit = pack.can_edit(request.user)
    return render(
        request,
        "induction/publish.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "refusal": pack.publish_refusal(request.user),
            "approvers": _approvers(pack) if pack.requires_approval else [],
            "latest": latest,
            "changes": changes,
            "section_count": len(draft["sections"]),
            "can_edit": can_edit,
            "breadcrumbs": draft_crumbs(pack, request.user),
        },
    )
