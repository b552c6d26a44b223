"""Asking for approval, returning a draft with comments, and withdrawing a request.

Every decision is made in induction/approvals.py; these pages explain it beforehand and show
its message when it refuses. Publishing a draft someone asked to have approved is the publish
page's job (induction/views/publishing.py).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import approvals
from ..forms.base import attach_error
from ..forms.publishing import ApprovalRequestForm, ReturnForm
from ..models import Membership
from ..snapshot import snapshot_draft
from .access import Access, pack_view
from .navigation import approval_return_url, draft_crumbs, edit_url, editor_crumbs


def _approval(pack, approval_id):
    # Looked up within the pack the URL names: another trust's request is a 404 here.
    return get_object_or_404(
        pack.approval_requests.select_related("submitted_by", "responded_by", "version"),
        pk=approval_id,
    )


def _other_approvers(pack, user):
    """Who will be asked: the trust's approvers other than the user, by name."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__trust=pack.trust_id, memberships__role=Membership.Role.APPROVER
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def ask_for_approval(request, pack):
    """Ask the trust's approvers to publish the draft, with a message for them."""
    form = ApprovalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approvals.submit_for_approval(
                pack=pack, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                "Asked for approval. The trust's approvers see your request on their home page "
                "and by e-mail; you will hear when one of them publishes the draft or returns "
                "it.",
            )
            return redirect(edit_url(pack))
    latest = pack.latest_version
    unchanged = latest is not None and latest.content == snapshot_draft(pack)
    waiting = pack.approval_requests.waiting().select_related("submitted_by").first()
    return render(
        request,
        "induction/approval/ask.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "latest": latest,
            "unchanged": unchanged,
            "waiting": waiting,
            "approvers": _other_approvers(pack, request.user),
            "breadcrumbs": editor_crumbs(pack),
        },
    )


def _refused(request, pack, reason):
    return render(
        request,
        "induction/forbidden.html",
        {"pack": pack, "trust": pack.trust, "reason": reason},
        status=403,
    )


@require_http_methods(["GET", "POST"])
@pack_view(Access.DRAFT)
def return_with_comments(request, pack, approval_id):
    """Return the draft to the editor who asked, with comments (approvers other than them).
    The publish page carries the same form; this page shows it again with any error."""
    approval = _approval(pack, approval_id)
    refusal = approval.return_refusal(request.user)
    if refusal is not None:
        return _refused(request, pack, refusal)
    form = ReturnForm(request.POST or None, action=approval_return_url(approval))
    if request.method == "POST" and form.is_valid():
        try:
            approvals.return_with_comments(
                approval=approval, user=request.user, comments=form.cleaned_data["comments"]
            )
        except approvals.AlreadyAnswered as answered:
            messages.error(request, " ".join(answered.messages))
            return redirect("induction:publish", slug=pack.trust.slug)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                "Returned the draft with your comments. The editor who asked sees them on the "
                "pack's editor page, and by e-mail unless they turned those e-mails off.",
            )
            return redirect("induction:publish", slug=pack.trust.slug)
    return render(
        request,
        "induction/approval/return.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "approval": approval,
            "form": form,
            "draft_changed": approval.draft_changed(pack),
            "breadcrumbs": draft_crumbs(pack, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def withdraw(request, pack, approval_id):
    """Ask to confirm, then withdraw a waiting request (the trust's editors)."""
    approval = _approval(pack, approval_id)
    if request.method == "POST":
        try:
            approvals.withdraw(approval=approval, user=request.user)
        except approvals.AlreadyAnswered as answered:
            messages.error(request, " ".join(answered.messages))
        else:
            messages.success(request, "Withdrew the request for approval.")
        return redirect(edit_url(pack))
    if not approval.is_waiting:
        messages.error(request, approvals.answered_words(approval))
        return redirect(edit_url(pack))
    return render(
        request,
        "induction/approval/withdraw.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "approval": approval,
            "breadcrumbs": editor_crumbs(pack),
        },
    )
