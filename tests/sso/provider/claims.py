"""django-oauth-toolkit's validator, giving ID tokens the claims registered for the identity
signed in at the provider (tid, oid, email, email_verified, groups, amr…), as Entra ID gives
its own."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .identities import claims_of


class ClaimsValidator(OAuth2Validator):
    # Every registered claim goes into the ID token, not only the standard ones of the scopes
    # asked for: Entra ID's tid and groups belong to no scope.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return claims_of(request.user)
