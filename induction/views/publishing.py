"""The publish page: what publishing would change and who may do it; freezing the draft."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..comparison import compare_versions
from ..forms.publishing import PublishForm, ReturnForm
from ..models import AuditEvent
from ..publishing import DraftChanged, PublishError
from ..snapshot import snapshot_draft
from .access import Access, pack_view
from .navigation import approval_return_url, draft_crumbs


@require_http_methods(["GET", "POST"])
@pack_view(Access.DRAFT)
def publish(request, pack):
    """Show what publishing would change and who may publish; publish on POST. A request for
    approval waiting on the pack is shown with its message, what changed in the draft since it
    was made, and to approvers other than the person who asked, a form to return it with
    comments.

    `pack.publish` makes every decision (permission, four-eyes rule, a draft changed since
    the page was opened, nothing to publish); this page explains them beforehand and shows
    the message if it refuses. The form carries the draft revision shown here.
    """
    form = PublishForm(request.POST or None, initial={"revision": pack.draft_revision})
    if request.method == "POST" and form.is_valid():
        try:
            version = pack.publish(
                user=request.user,
                change_summary=form.cleaned_data["change_summary"],
                reviewed_revision=form.cleaned_data["revision"],
            )
        except PublishError as refusal:
            if isinstance(refusal, DraftChanged):
                # The page below shows the draft as it is now, so the form now carries that
                # revision (and keeps the summary the publisher wrote).
                pack.refresh_from_db()
                data = request.POST.copy()
                data["revision"] = pack.draft_revision
                form = PublishForm(data)
                form.is_valid()
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
        # The page lists what happened to each section, not the changed words.
        changes = [diff for diff in compare_versions(latest, draft, marked=False) if diff.changed]
    draft_editors = []
    if pack.requires_approval and pack.draft_editor_ids:
        draft_editors = list(
            get_user_model().objects.filter(pk__in=pack.draft_editor_ids).order_by("username")
        )
    approval = pack.approval_requests.waiting().select_related("submitted_by").first()
    edits_since_asked, return_form = [], None
    if approval is not None:
        approval.pack = pack  # the roles already read for this request are cached on it
        if approval.draft_changed(pack):
            # What the approver must check on top of what they were asked about.
            edits_since_asked = list(
                AuditEvent.objects.filter(
                    pack=pack, changes_draft=True, created_at__gte=approval.submitted_at
                )
                .select_related("actor")
                .order_by("created_at", "pk")
            )
        if approval.can_return(request.user):
            return_form = ReturnForm(action=approval_return_url(approval))
    return render(
        request,
        "induction/publish.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "refusal": pack.publish_refusal(request.user),
            "approvers": pack.eligible_publishers() if pack.requires_approval else [],
            "draft_editors": draft_editors,
            "approval": approval,
            "edits_since_asked": edits_since_asked,
            "return_form": return_form,
            "latest": latest,
            "changes": changes,
            "section_count": len(draft["sections"]),
            "can_edit": pack.can_edit(request.user),
            "breadcrumbs": draft_crumbs(pack, request.user),
        },
    )
