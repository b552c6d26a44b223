"""The explainer's addresses under /roles/."""

from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("for-non-executive-directors/", views.for_neds, name="for_neds"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:key>/", views.source_detail, name="source_detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("changes-since-2017/", views.changes, name="changes"),
    path("medical-director/working-with-others/", views.relationships, name="relationships"),
    path("medical-director/evidence/", views.evidence, name="evidence"),
    path("medical-director/evidence/<slug:part>/", views.evidence_part, name="evidence_part"),
    path("<slug:slug>/", views.role_detail, name="role_detail"),
]
