"""Reading published packs: the list of packs, and each version read page by page (one page
per section, with the NHS.UK contents list and previous/next links) or whole on one page.

The newest version is read at `/trusts/<slug>/induction/…`, any version at `…/v<n>/…`, with
the same pages under each:

    ./                the first section, with the version's facts (published, next review, PDF)
    ./section-<n>/    any later section (`section-1/` redirects to the first page)
    ./whole-pack/     every section on one page, for printing and searching within the page

Each page shows the section as the version froze it in `rendered_html` (the same HTML as the
PDF), in a fixed number of queries whatever the number of sections or versions.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.urls import reverse
from django.views.decorators.http import require_safe

from page_cache import frames, generation, store
from page_cache.policy import mark_public

from ..forms.reading import TrustFilterForm
from ..models import InductionPack, PackVersion
from ..rendering import split_sections
from ..snapshot import contents
from .access import Access, pack_view
from .navigation import Reading, home_crumbs, pack_crumbs, page_links

# A trust list page; 250 trusts make ten.
TRUSTS_PER_PAGE = 25


@require_safe
def trust_list(request):
    """The packs the user may read, A to Z by trust, a page of TRUSTS_PER_PAGE at a time and
    optionally only those of the trusts that match the filter (words of the name, region,
    kind): the same few queries whether the portal has two trusts or 250."""
    filters = TrustFilterForm(request.GET)
    packs = InductionPack.objects.for_user(request.user).order_by("trust__name", "pk")
    packs = packs.of_trusts_matching(**filters.criteria)
    page = Paginator(packs.with_versions(), TRUSTS_PER_PAGE).get_page(request.GET.get("page"))
    on_page = [pack.pk for pack in page]
    editable = set(
        InductionPack.objects.editable_by(request.user)
        .filter(pk__in=on_page)
        .values_list("pk", flat=True)
    )

    def address(number):
        query = {"page": number, **filters.query}
        return f"{reverse('induction:trust_list')}?{urlencode(query)}"

    previous, following = page_links(page, address)
    response = render(
        request,
        "induction/trust_list.html",
        {
            "page": page,
            "packs": page.object_list,
            "filters": filters,
            "editable": editable,
            "previous": previous,
            "next": following,
            "breadcrumbs": home_crumbs(),
        },
    )
    # Filtered lists are many and each is rare: only the plain pages are kept.
    return response if filters.is_filtered else mark_public(request, response)


def _section_pages(reading: Reading, current: str | None) -> list[dict]:
    """The contents list: one page per section of the version, in order."""
    return [
        {
            "anchor": entry["anchor"],
            "label": entry["title"],
            "url": reading.section_url(position),
            "current": entry["anchor"] == current,
        }
        for position, entry in enumerate(contents(reading.version.content), start=1)
    ]


# The reader's status panel (journey app) alone, for a kept page (see `_render`).
STATUS_PANEL = engines["django"].from_string(
    "{% load journey %}{% pack_status pack version newest %}"
)


def _render(request, reading: Reading, *, section: int | None = None, whole: bool = False):
    """A page of `reading.version`: the section at position `section` (1 for the first page),
    or, with `whole`, every section. An unknown section is a 404.

    A signed-in reader gets the page kept for the pack's signed-in readers (one copy for its
    editors, one for everyone else) with their own frame put in: their account links, their
    messages and, where a reading starts, their status panel (page_cache/frames.py). The page
    is made once per version and page, not once per reader.
    """
    if not frames.can_frame(request):
        return _render_page(request, reading, section=section, whole=whole)
    pack, version = reading.pack, reading.version
    key = store.key_for(request, variant=f"signed-in; editor={pack.can_edit(request.user)}")

    def status_panel():
        newest = version if not reading.versioned else _newest(pack)
        context = {"request": request, "csrf_token": frames.FORM_SECRET_STAND_IN}
        return STATUS_PANEL.render({**context, "pack": pack, "version": version, "newest": newest})

    kept = store.get(key)
    if kept is not None:
        return frames.framed_response(request, kept, {"status": status_panel})
    response = _render_page(request, reading, section=section, whole=whole)
    store.keep(key, response)
    return response


def _render_page(request, reading: Reading, *, section: int | None, whole: bool):
    """The page itself, rendered in full (see `_render`)."""
    if reading.version.get_deferred_fields():
        reading.version.refresh_from_db(fields=FROZEN_TEXT)
    pack, version = reading.pack, reading.version
    # Only the list fields of the other versions: their frozen content is never loaded here.
    versions = list(pack.versions.only("pk", "pack_id", "number", "published_at"))
    newest = versions[0] if versions else version
    context = {
        "pack": pack,
        "trust": pack.trust,
        "version": version,
        "versions": versions,
        "newest": newest,
        "is_newest": version.number == newest.number,
        "can_edit": pack.can_edit(request.user),
        "breadcrumbs": pack_crumbs(pack)[:-1],
        "first_page_url": reading.first_page_url(),
        "whole_pack_url": reading.whole_pack_url(),
        "whole": whole,
    }
    if whole:
        context["pages"] = _section_pages(reading, current=None)
        context["body"] = version.rendered_html
        return render(request, "induction/reading/whole_pack.html", context)

    pages = _section_pages(reading, current=f"section-{section}")
    index = next((i for i, entry in enumerate(pages) if entry["current"]), None)
    if index is None and section != 1:
        raise Http404("This version has no section with that number.")
    body = ""
    if index is not None:
        body = split_sections(version.rendered_html).get(pages[index]["anchor"], "")
    context.update(
        {
            "pages": pages,
            "page": pages[index] if index is not None else None,
            "is_first_page": section == 1,
            "body": body,
            "previous_page": pages[index - 1] if index else None,
            "next_page": pages[index + 1] if index is not None and index + 1 < len(pages) else None,
        }
    )
    return render(request, "induction/version_detail.html", context)


# A version's frozen text is read only when its page is made, not for a kept page.
FROZEN_TEXT = ("content", "rendered_html")


def _versions(pack):
    return pack.versions.defer(*FROZEN_TEXT)


def _newest(pack):
    """The pack's newest version, without its frozen text. Kept in the cache under the content
    generation, which every publication advances: a cache round trip instead of a query on
    every page a member reads."""

    def read():
        versions = PackVersion.objects.defer(*FROZEN_TEXT).filter(pack_id=pack.pk)
        return versions.order_by("-number").first()

    key = f"newest-version:{pack.pk}"
    version = generation.CONTENT.kept(key, read, settings.PAGE_CACHE_SECONDS)
    if version is not None:
        version.pack = pack
    return version


def _no_version(request, pack):
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


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def pack_read(request, pack):
    """The first page of the newest published version, or a page saying none is published."""
    version = _newest(pack)
    if version is None:
        return _no_version(request, pack)
    return _render(request, Reading(pack, version, versioned=False), section=1)


def _section_page(request, reading: Reading, position: int):
    """The page of the section at `position`; the first section's address leads to the first
    page, so that each page has one address."""
    if position == 1:
        return redirect(reading.first_page_url())
    return _render(request, reading, section=position)


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def pack_section(request, pack, position):
    """A later section of the newest version (see `_section_page`)."""
    version = _newest(pack)
    if version is None:
        raise Http404("This pack has not been published yet.")
    return _section_page(request, Reading(pack, version, versioned=False), position)


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def pack_whole(request, pack):
    """The newest version with every section on one page."""
    version = _newest(pack)
    if version is None:
        return _no_version(request, pack)
    return _render(request, Reading(pack, version, versioned=False), whole=True)


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def version_read(request, pack, number):
    """The first page of any published version by its number; unknown numbers are a 404."""
    version = get_object_or_404(_versions(pack), number=number)
    return _render(request, Reading(pack, version, versioned=True), section=1)


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def version_section(request, pack, number, position):
    """A later section of any published version (see `_section_page`)."""
    version = get_object_or_404(_versions(pack), number=number)
    return _section_page(request, Reading(pack, version, versioned=True), position)


@require_safe
@pack_view(Access.READ, members_only_notice=True)
def version_whole(request, pack, number):
    """Any published version with every section on one page."""
    version = get_object_or_404(_versions(pack), number=number)
    return _render(request, Reading(pack, version, versioned=True), whole=True)
