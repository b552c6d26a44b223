"""Single sign-on: members of a trust sign in with their trust's Microsoft Entra ID (OpenID
Connect), one identity provider per trust."""
