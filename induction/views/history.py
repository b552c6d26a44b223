"""History of a pack: its versions, comparing two of them, restoring one, and the audit trail."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from page_cache.policy import PRIVATE_REVALIDATED

from .. import services
from ..comparison import compare_versions
from ..forms.editing import RevisionForm
from ..forms.history import CompareForm
from ..importing import DraftChangedSinceLoaded
from ..models import AuditEvent
from .access import Access, pack_view
from .navigation import edit_url, editor_crumbs, history_crumbs, pack_crumbs, page_links

AUDIT_PAGE_SIZE = 50
# Part of the cache key of a comparison: change it when the comparison's output changes.
COMPARISON_FORMAT = 2
# A comparison that ran out of rendering time (see comparison.RENDER_SECONDS) shows some
# sections as source text: kept only this long, so a later request can do better.
PARTIAL_COMPARISON_SECONDS = 600


def _numbers(pack):
    return list(pack.versions.values_list("number", flat=True))


def _default_pair(numbers):
    """Compare the newest version with the one before it, when there are two."""
    if len(numbers) >= 2:
        return {"from": numbers[1], "to": numbers[0]}
    return {}


@require_safe
@pack_view(Access.READ)
def history(request, pack):
    """Every published version, newest first, with who published and approved it."""
    versions = list(
        pack.versions.defer("content", "rendered_html").select_related(
            "published_by", "approved_by"
        )
    )
    numbers = [version.number for version in versions]
    compare_form = CompareForm(initial=_default_pair(numbers), numbers=numbers)
    compare_form.helper.form_action = reverse("induction:compare", kwargs={"slug": pack.trust.slug})
    return render(
        request,
        "induction/history/history.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "versions": versions,
            "compare_form": compare_form,
            "can_edit": pack.can_edit(request.user),
            "breadcrumbs": pack_crumbs(pack),
        },
    )


def _version_key(version):
    return f"{version.pk}-{version.published_at.timestamp()}"


@require_safe
@pack_view(Access.READ)
def compare(request, pack):
    """Two versions compared section by section: each changed section formatted as readers
    see it, with the changed words marked, and for editors its Markdown source changes."""
    numbers = _numbers(pack)
    form = CompareForm(request.GET or None, initial=_default_pair(numbers), numbers=numbers)
    form.helper.form_action = reverse("induction:compare", kwargs={"slug": pack.trust.slug})
    old = new = diffs = None
    if form.is_valid():
        chosen = {
            version.number: version
            for version in pack.versions.filter(
                number__in=[form.cleaned_data["from"], form.cleaned_data["to"]]
            )
        }
        old, new = chosen[form.cleaned_data["from"]], chosen[form.cleaned_data["to"]]
        # Published versions never change, so their comparison is made once and kept. The
        # key names each version by its row and publication time, which no other version
        # can share even if a deleted pack's ids were ever reused. It holds the source
        # changes too, shown to editors only, so one entry serves every user.
        key = f"induction:compare:{COMPARISON_FORMAT}:{_version_key(old)}:{_version_key(new)}"
        diffs = cache.get(key)
        if diffs is None:
            diffs = compare_versions(old, new)
            complete = all(diff.formatted for diff in diffs)
            cache.set(key, diffs, timeout=None if complete else PARTIAL_COMPARISON_SECONDS)
    response = render(
        request,
        "induction/history/compare.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "form": form,
            "old": old,
            "new": new,
            "diffs": diffs,
            "changed_count": sum(1 for diff in diffs or [] if diff.changed),
            # Editors may also see the Markdown they write; readers see the formatted text.
            "can_edit": pack.can_edit(request.user),
            "breadcrumbs": history_crumbs(pack),
        },
    )
    if diffs and not all(diff.formatted for diff in diffs):
        # Kept by no shared cache and not by the page cache: a later request can do better.
        response["Cache-Control"] = PRIVATE_REVALIDATED
    return response


@require_http_methods(["GET", "POST"])
@pack_view(Access.EDIT)
def version_restore(request, pack, number):
    """Ask to confirm, then copy an old version into the draft (the version stays as it is).
    The confirmation carries the draft revision it was shown with: a draft a colleague edited
    since is not replaced, and the page comes back saying so, with the draft's state now."""
    version = get_object_or_404(pack.versions, number=number)
    if request.method == "POST":
        form = RevisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Something went wrong: the version was not restored.")
            return redirect(request.path)
        try:
            services.restore_version(
                version=version,
                user=request.user,
                expected_draft_revision=form.cleaned_data["revision"],
            )
        except DraftChangedSinceLoaded as changed:
            messages.error(request, " ".join(changed.messages))
            return redirect(request.path)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("induction:history", slug=pack.trust.slug)
        messages.success(
            request,
            f"Copied version {version.number} into the draft. Check it, then publish it "
            "when it is ready.",
        )
        return redirect(edit_url(pack))
    return render(
        request,
        "induction/history/restore.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "version": version,
            "status": pack.status,
            "breadcrumbs": history_crumbs(pack),
        },
    )


@require_safe
@pack_view(Access.AUDIT)
def audit(request, pack):
    """The trust's audit trail of edits and publications, newest first, 50 to a page."""
    events = AuditEvent.objects.filter(trust=pack.trust).select_related("actor", "version")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    newer, older = page_links(page, lambda number: f"?page={number}")
    return render(
        request,
        "induction/history/audit.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "page": page,
            "previous": newer,
            "next": older,
            "breadcrumbs": editor_crumbs(pack),
        },
    )
