"""Reading published packs: the list of packs, the newest version, and any older version."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..models import InductionPack
from ..snapshot import contents
from .access import Access, pack_view
from .navigation import home_crumbs, pack_crumbs


@require_safe
def trust_list(request):
    """Every pack the user may read, with its newest version, in two queries plus the user's."""
    packs = list(
        InductionPack.objects.for_user(request.user).with_versions().order_by("trust__name")
    )
    editable = set(InductionPack.objects.editable_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "induction/trust_list.html",
        {
            "packs": packs,
            "editable": editable,
            "breadcrumbs": home_crumbs(),
        },
    )


def _render_version(request, pack, version):
    # Only the list fields of the other versions: their frozen content is never loaded here.
    versions = list(pack.versions.only("pk", "pack_id", "number", "published_at"))
    newest = versions[0] if versions else version
    return render(
        request,
        "induction/version_detail.html",
        {
            "pack": pack,
            "trust": pack.trust,
            "version": version,
            "versions": versions,
            "newest": newest,
            "is_newest": version.number == newest.number,
            "contents": contents(version.content),
            "can_edit": pack.can_edit(request.user),
            "breadcrumbs": pack_crumbs(pack)[:-1],
        },
    )


@require_safe
@pack_view(Access.READ)
def pack_read(request, pack):
    """The newest published version, or a page saying none is published yet."""
    version = pack.versions.order_by("-number").first()
    if version is None:
        return render(
            request,
            "induction/no_version.html",
            {
                "pack": pack,
                "trust": pack.trust,
                "can_edit": pack.can_edit(request.user),
                "breadcrumbs": pack_crumbs(pack)[:-1],
            },
        )
    return _render_version(request, pack, version)


@require_safe
@pack_view(Access.READ)
def version_read(request, pack, number):
    """Any published version by its number; unknown numbers are a 404."""
    version = get_object_or_404(pack.versions, number=number)
    return _render_version(request, pack, version)
