"""Where the journey's management pages sit: their addresses and breadcrumbs, defined once so
that no view module imports another sideways."""

from django.urls import reverse

from induction.views.navigation import crumbs, pack_crumbs


def dashboard_url(pack) -> str:
    return reverse("journey:dashboard", kwargs={"slug": pack.trust.slug})


def invitations_url(pack) -> str:
    return reverse("journey:invitations", kwargs={"slug": pack.trust.slug})


def member_url(pack, user_id: int) -> str:
    return reverse("journey:member_induction", kwargs={"slug": pack.trust.slug, "user_id": user_id})


def dashboard_crumbs(pack):
    """The pack's trail, then the dashboard (for the pages about the trust's members)."""
    return [*pack_crumbs(pack), *crumbs(("Induction dashboard", dashboard_url(pack)))]


def member_crumbs(pack, member):
    """The dashboard's trail, then the member's page."""
    name = member.get_full_name() or member.get_username()
    return [*dashboard_crumbs(pack), *crumbs((name, member_url(pack, member.pk)))]


def invitations_crumbs(pack):
    return [*dashboard_crumbs(pack), *crumbs(("Invitations", invitations_url(pack)))]
