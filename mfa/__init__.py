"""Second factors for signing in with a password: authenticator apps (TOTP), recovery codes and
passkeys, required of everyone who can change what a trust's members read."""
