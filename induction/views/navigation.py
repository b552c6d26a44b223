"""Where each induction page sits: its breadcrumbs, the addresses pages link to (those of a
version's reading pages included, which search results link to as well), and the page a
trust member lands on after signing in.

Views take their breadcrumbs and addresses from here rather than from each other, so that the
trail of every page is defined once and no view module imports another sideways.
"""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from ..models import ApprovalRequest, InductionPack, PackVersion, Trust


def crumbs(*pairs):
    """Breadcrumbs as the base template's include wants them: [(label, url), …] → dicts."""
    return [{"label": label, "url": url} for label, url in pairs]


def home_crumbs():
    return crumbs(("Home", reverse("home")))


def trust_list_crumbs():
    return [*home_crumbs(), *crumbs(("Trust induction packs", reverse("induction:trust_list")))]


def pack_url(pack):
    return reverse("induction:pack_read", kwargs={"slug": pack.trust.slug})


def edit_url(pack):
    return reverse("induction:pack_edit", kwargs={"slug": pack.trust.slug})


def act_as_editor_url(pack):
    """Where platform staff start acting as an editor of the pack's trust."""
    return reverse("induction:act_as_editor", kwargs={"slug": pack.trust.slug})


def history_url(pack):
    return reverse("induction:history", kwargs={"slug": pack.trust.slug})


def approval_return_url(approval: ApprovalRequest) -> str:
    """Where an approver returns a request for approval with comments."""
    return reverse(
        "induction:approval_return",
        kwargs={"slug": approval.pack.trust.slug, "approval_id": approval.pk},
    )


@dataclass(frozen=True)
class Reading:
    """Which version a page belongs to, and whether its addresses name the version (`/v<n>/`)
    or are those of the newest version."""

    pack: InductionPack
    version: PackVersion
    versioned: bool

    def _url(self, name: str, **kwargs) -> str:
        kwargs["slug"] = self.pack.trust.slug
        if self.versioned:
            return reverse(
                f"induction:version_{name}", kwargs={"number": self.version.number, **kwargs}
            )
        return reverse(f"induction:pack_{name}", kwargs=kwargs)

    def first_page_url(self) -> str:
        return self._url("read")

    def section_url(self, position: int) -> str:
        """The page of the section at `position` (1-based); the first is the first page."""
        if position == 1:
            return self.first_page_url()
        return self._url("section", position=position)

    def whole_pack_url(self) -> str:
        return self._url("whole")


def page_links(page, address) -> tuple[dict | None, dict | None]:
    """The previous and next links of a `Paginator` page for includes/pagination.html, each
    {url, label} ("Page 2 of 5"), or None at either end; `address(number)` is a page's URL."""

    def link(number):
        if not 1 <= number <= page.paginator.num_pages:
            return None
        return {"url": address(number), "label": f"Page {number} of {page.paginator.num_pages}"}

    return link(page.number - 1), link(page.number + 1)


def pack_crumbs(pack):
    """Home › Trust induction packs › the trust (for pages about one pack)."""
    return [*trust_list_crumbs(), *crumbs((pack.trust.name, pack_url(pack)))]


def editor_crumbs(pack):
    """The pack's trail, then the editor (for pages reached from the editor)."""
    return [*pack_crumbs(pack), *crumbs(("Edit the pack", edit_url(pack)))]


def history_crumbs(pack):
    return [*pack_crumbs(pack), *crumbs(("History", history_url(pack)))]


def draft_crumbs(pack, user):
    """Editors reach draft pages from the editor; approvers who cannot edit, from the pack."""
    return editor_crumbs(pack) if pack.can_edit(user) else pack_crumbs(pack)


def landing_url(user) -> str | None:
    """Where a member of exactly one trust lands after signing in: the editor of the trust's
    pack if they may edit it, else its reading page. None (land where everyone else does) for
    platform staff, members of several trusts or of none, and a trust with no pack yet."""
    if not user.is_authenticated or user.is_staff:
        return None
    trusts = list(Trust.objects.for_user(user).values_list("pk", flat=True)[:2])
    if len(trusts) != 1:
        return None
    packs = InductionPack.objects.filter(trust=trusts[0]).select_related("trust")
    editable = packs.editable_by(user).first()
    if editable is not None:
        return edit_url(editable)
    pack = packs.first()
    return pack_url(pack) if pack is not None else None


def landing_after_sign_in(user) -> str:
    """Where someone lands after signing in, with a password or their trust's single sign-on,
    when no `next` says otherwise: `landing_url`, else LOGIN_REDIRECT_URL."""
    return landing_url(user) or resolve_url(settings.LOGIN_REDIRECT_URL)
