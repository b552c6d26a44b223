"""The form kit as an installed app, so Django finds its templates and template tags."""

from django.apps import AppConfig


class NhsukFormsConfig(AppConfig):
    name = "nhsuk_forms"
    verbose_name = "NHS.UK form kit"
