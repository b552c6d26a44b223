"""Single sign-on in the admin: platform staff set up each trust's tenant and its group
mapping, and can see (and remove) the links between portal users and tenant accounts.

The client secret is never typed here: the form takes the name of the environment variable
that holds it and says only whether that variable is set.
"""

from django.contrib import admin
from django.db import models

from induction.admin import ReadOnlyAdmin

from .models import GroupMapping, SignOnIdentity, TrustSignOn


class GroupMappingInline(admin.TabularInline):
    model = GroupMapping
    extra = 1


@admin.register(TrustSignOn)
class TrustSignOnAdmin(admin.ModelAdmin):
    list_display = ["trust", "enabled", "tenant_id", "client_id", "secret_status",
                    "allow_just_in_time_accounts"]  # fmt: skip
    list_filter = ["enabled", "allow_just_in_time_accounts"]
    search_fields = ["trust__name", "tenant_id", "client_id"]
    list_select_related = ["trust"]
    autocomplete_fields = ["trust"]
    readonly_fields = ["secret_status", "redirect_uri"]
    fields = ["trust", "enabled", "issuer", "tenant_id", "client_id", "client_secret_variable",
              "secret_status", "redirect_uri", "allow_just_in_time_accounts",
              "email_domains"]  # fmt: skip
    inlines = [GroupMappingInline]
    # An issuer typed without a scheme is an https one (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="client secret")
    def secret_status(self, sign_on):
        if not sign_on or not sign_on.client_secret_variable:
            return "Name the environment variable, then set it on every web server."
        if sign_on.client_secret():
            return f"Set in the environment ({sign_on.client_secret_variable})."
        return (
            f"Missing: set {sign_on.client_secret_variable} on every web server. Nobody can "
            "sign in through this trust until it is set."
        )

    @admin.display(description="redirect URI to register in the tenant")
    def redirect_uri(self, sign_on):
        return TrustSignOn.redirect_uri()


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(ReadOnlyAdmin):
    """Links are made only by signing in. Deleting one lets the user's e-mail address link to
    a new tenant account at their next sign-in (after the old account was replaced)."""

    list_display = ["user", "trust", "email", "tenant_id", "subject", "last_amr",
                    "last_signed_in_at"]  # fmt: skip
    list_filter = ["trust"]
    search_fields = ["user__username", "email", "subject"]
    list_select_related = ["user", "trust"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("sso.delete_signonidentity")
