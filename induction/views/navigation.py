"""Where each induction page sits: its breadcrumbs and the addresses pages link to.

Views take their breadcrumbs from here rather than from each other, so that the trail of
every page is defined once and no view module imports another sideways.
"""

from django.urls import reverse


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
