"""The journey's addresses, beside the pack's own under /trusts/<slug>/induction/: the
inductee's checklist, acknowledgements, and the dashboard with the trust's members and
invitations. The invited person's own pages are journey/invitation_urls.py."""

from django.urls import path

from . import invitation_views, member_views, views

app_name = "journey"

urlpatterns = [
    path("<slug:slug>/induction/my-induction/", views.my_induction, name="my_induction"),
    path("<slug:slug>/induction/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/induction/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/induction/dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path(
        "<slug:slug>/induction/dashboard/members/<int:user_id>/",
        member_views.member_induction,
        name="member_induction",
    ),
    path(
        "<slug:slug>/induction/dashboard/members/<int:user_id>/roles/",
        member_views.member_roles,
        name="member_roles",
    ),
    path(
        "<slug:slug>/induction/dashboard/members/<int:user_id>/remove/",
        member_views.member_remove,
        name="member_remove",
    ),
    path(
        "<slug:slug>/induction/dashboard/invitations/",
        invitation_views.invitation_list,
        name="invitations",
    ),
    path(
        "<slug:slug>/induction/dashboard/invitations/new/",
        invitation_views.invite,
        name="invite",
    ),
    path(
        "<slug:slug>/induction/dashboard/invitations/<int:invitation_id>/revoke/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
]
