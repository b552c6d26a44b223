"""The explainer's addresses under /roles/."""

from django.urls import path

from . import views
from .models import MEDICAL_DIRECTOR_SLUG

app_name = "roles"

urlpatterns = [
    path("for-non-executive-directors/", views.for_neds, name="for_neds"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:key>/", views.source_detail, name="source_detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("changes-since-2017/", views.changes, name="changes"),
    # The Medical Director guide's own pages, under the role's address.
    path(
        f"{MEDICAL_DIRECTOR_SLUG}/working-with-others/", views.relationships, name="relationships"
    ),
    path(f"{MEDICAL_DIRECTOR_SLUG}/evidence/", views.evidence, name="evidence"),
    path(
        f"{MEDICAL_DIRECTOR_SLUG}/evidence/<slug:part>/", views.evidence_part, name="evidence_part"
    ),
    path("<slug:slug>/", views.role_detail, name="role_detail"),
]
