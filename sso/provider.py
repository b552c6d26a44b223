"""What the portal knows of a trust's identity provider: its OpenID configuration (read from
the issuer's /.well-known/openid-configuration) and its signing keys (the JWKS), both fetched
over HTTPS and kept in the shared cache.

The configuration is kept for a day and the keys for an hour; a token signed with a key the
cache does not have makes the keys be fetched again once, which is how a provider's key
rotation reaches the portal. A provider that could not be read is not asked again for half a
minute, so that people pressing "Start again" do not each hold a web worker for the timeout.
Nothing here decides who may sign in.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CONFIGURATION_SECONDS = 24 * 60 * 60
KEYS_SECONDS = 60 * 60
UNAVAILABLE_SECONDS = 30
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The provider could not be reached, or answered with something that is not what OpenID
    Connect promises. The message is for the server's log."""


@dataclass(frozen=True)
class ProviderConfiguration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def _key(kind: str, url: str) -> str:
    return f"sso:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"Could not read {url}: {error}") from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{url} did not answer with a JSON object.")
    return document


def configuration(issuer: str) -> ProviderConfiguration:
    """The provider's endpoints, read from the issuer's discovery document. Its `issuer` must
    be exactly the configured one (OpenID Connect Discovery 1.0, section 4.3), or the document
    is refused."""
    key = _key("configuration", issuer)
    found = cache.get(key)
    if found is not None:
        return ProviderConfiguration(**found)
    unavailable = _key("unavailable", issuer)
    if cache.get(unavailable):
        raise ProviderUnavailable(
            f"{issuer} could not be read less than {UNAVAILABLE_SECONDS} s ago."
        )
    try:
        found = _read_configuration(issuer)
    except ProviderUnavailable:
        cache.set(unavailable, True, UNAVAILABLE_SECONDS)
        raise
    cache.set(key, found, CONFIGURATION_SECONDS)
    return ProviderConfiguration(**found)


def _read_configuration(issuer: str) -> dict:
    url = f"{issuer}/.well-known/openid-configuration"
    document = _get_json(url)
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(
            f"{url} names the issuer {document.get('issuer')!r}, not {issuer!r}."
        )
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(document.get(name), str)]
    if missing:
        raise ProviderUnavailable(f"{url} has no {', '.join(missing)}.")
    return {"issuer": issuer, **{name: document[name] for name in REQUIRED_ENDPOINTS}}


def signing_keys(jwks_uri: str, *, refresh: bool = False) -> list[dict]:
    """The provider's public keys (JWKs), from the cache unless `refresh`."""
    key = _key("keys", jwks_uri)
    if not refresh:
        found = cache.get(key)
        if found is not None:
            return found
    document = _get_json(jwks_uri)
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise ProviderUnavailable(f"{jwks_uri} has no list of keys.")
    keys = [jwk for jwk in keys if isinstance(jwk, dict)]
    cache.set(key, keys, KEYS_SECONDS)
    return keys


def matching_key(keys: list[dict], header: dict) -> dict | None:
    """The key the token's header names (by `kid`, and `alg` where the key says one)."""
    for jwk in keys:
        if jwk.get("kid") != header.get("kid"):
            continue
        if "alg" in jwk and jwk["alg"] != header.get("alg"):
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        return jwk
    return None
