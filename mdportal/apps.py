from django.apps import AppConfig


class MdportalConfig(AppConfig):
    name = "mdportal"
    verbose_name = "Board induction portal"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
