"""The admin's view of passkeys, beside django-otp's own TOTP and static devices: platform
staff remove a lost one, so that its owner can set up two-step sign-in again."""

from django.contrib import admin
from django_otp_webauthn.admin import WebAuthnCredentialAdmin
from django_otp_webauthn.models import WebAuthnCredential

# django-otp-webauthn ships the admin class but leaves registering it to the project.
admin.site.register(WebAuthnCredential, WebAuthnCredentialAdmin)
