"""The invited person's addresses, under /invitations/: the link an invitation e-mails, and
accepting it once signed in. The token in the address is the only key: no trust is named."""

from django.urls import path

from . import invitation_views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitation_views.invitation, name="invitation"),
    path("<str:token>/accept/", invitation_views.accept, name="accept"),
]
