"""The notifications app's address: the signed-in person's e-mail preferences."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
]
