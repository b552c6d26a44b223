"""The MFA addresses: the sign-in step under accounts/two-step/ (beside signing in and out),
and the person's own second factors under account/two-step/ (beside their e-mail choices).
The passkey ceremonies' addresses are mfa/passkey_urls.py, under the library's own namespace."""

from django.urls import path

from . import device_views, views

app_name = "mfa"

urlpatterns = [
    path("accounts/two-step/", views.verify, name="verify"),
    path("accounts/two-step/recovery-code/", views.recovery, name="recovery"),
    path("accounts/two-step/set-up/", views.set_up, name="set_up"),
    path("accounts/two-step/recovery-codes/", views.new_recovery_codes, name="new_recovery_codes"),
    path("account/two-step/", device_views.device_list, name="devices"),
    path("account/two-step/passkey-added/", device_views.passkey_added, name="passkey_added"),
    path(
        "account/two-step/recovery-codes/new/",
        device_views.replace_recovery_codes,
        name="replace_recovery_codes",
    ),
    path(
        "account/two-step/<str:kind>/<int:device_id>/remove/",
        device_views.remove,
        name="remove",
    ),
]
