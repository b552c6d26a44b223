"""Tests of single sign-on (sso/), through a real OpenID Connect provider."""
