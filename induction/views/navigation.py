"""Where each induction page sits: its breadcrumbs, the addresses pages link to, and the
page a trust member lands on after signing in.

Views take their breadcrumbs from here rather than from each other, so that the trail of
every page is defined once and no view module imports another sideways.
"""

from django.urls import reverse

from ..models import InductionPack, Trust


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
