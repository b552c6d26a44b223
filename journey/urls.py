"""The journey's addresses, beside the pack's own under /trusts/<slug>/induction/."""

from django.urls import path

from . import views

app_name = "journey"

urlpatterns = [
    path("<slug:slug>/induction/my-induction/", views.my_induction, name="my_induction"),
    path("<slug:slug>/induction/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<slug:slug>/induction/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/induction/dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path(
        "<slug:slug>/induction/dashboard/members/<int:user_id>/",
        views.member_induction,
        name="member_induction",
    ),
]
