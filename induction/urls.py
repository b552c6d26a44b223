from django.urls import path

from . import pdf_views, views

app_name = "induction"

urlpatterns = [
    path("", views.trust_list, name="trust_list"),
    path("<slug:slug>/induction/", views.pack_read, name="pack_read"),
    path("<slug:slug>/induction/v<int:number>/", views.version_read, name="version_read"),
    path("<slug:slug>/induction/v<int:number>.pdf", pdf_views.version_pdf, name="version_pdf"),
    path("<slug:slug>/induction/latest.pdf", pdf_views.latest_pdf, name="latest_pdf"),
]
