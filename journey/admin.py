"""The journey's records in the admin, read-only: they are the inductees' own statements, made
only through the portal's pages (journey/records.py)."""

from django.contrib import admin

from induction.admin import ReadOnlyAdmin

from .models import Acknowledgement, ChecklistTick


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
