"""Single sign-on's addresses, under /accounts/sso/: the trust chooser, the callback every
tenant sends people back to, and the start of each trust's sign-in."""

from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("", views.choose, name="choose"),
    # Before the trust's address, so that no trust's slug can take it.
    path("callback/", views.SignOnCallbackView.as_view(), name="callback"),
    path("<slug:slug>/", views.SignOnStartView.as_view(), name="start"),
]
