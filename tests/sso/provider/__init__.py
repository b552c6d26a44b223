"""A real OpenID Connect provider for the tests: django-oauth-toolkit with OIDC on, installed
and mounted under /test-oidc/ by the test settings alone (mdportal/test_settings.py), and
served over HTTP by pytest-django's live server.

It speaks the protocol as any provider does: discovery at
/test-oidc/o/.well-known/openid-configuration, an authorisation endpoint that needs PKCE, a
token endpoint that checks the client secret and the PKCE verifier, and ID tokens signed with
an RSA key made for the test session, whose keys are at /test-oidc/o/.well-known/jwks.json.
Only who is signed in at the provider, and the claims of their ID token, are the tests' to
choose (identities.py): its sign-in page offers each identity a test registered.
"""
