"""The roles app: the national role model and its public explainer."""

from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "National role model"
