"""The journey's records in the admin, read-only: the inductees' own statements, made only
through the portal's pages (journey/records.py), and the trusts' invitations, sent, revoked and
accepted only through journey/invitations.py, which audits each step."""

from django.contrib import admin

from induction.admin import ReadOnlyAdmin

from .models import Acknowledgement, ChecklistTick, Invitation


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = ["version__pack__trust"]
    search_fields = ["user__username"]
    list_select_related = ["user", "version__pack"]


@admin.register(ChecklistTick)
class ChecklistTickAdmin(ReadOnlyAdmin):
    list_display = ["user", "pack", "item_key", "done_at"]
    list_filter = ["pack__trust"]
    search_fields = ["user__username", "item_key"]
    list_select_related = ["user", "pack"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "trust", "role", "status_label", "created_at", "invited_by"]
    list_filter = ["trust", "role"]
    search_fields = ["email", "trust__name"]
    list_select_related = ["trust", "invited_by"]
    # The hash of the link's token is of no use to anyone reading the admin.
    exclude = ["token_hash"]

    @admin.display(description="status")
    def status_label(self, invitation):
        return invitation.get_status_display()
