"""The single sign-on pages: the sign-in page's trust chooser, the start of a sign-in (state,
nonce and PKCE sent to the trust's provider), and the callback's refusals of a state it did not
start, a replay, a late return, a provider's error and a provider it cannot reach."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from mozilla_django_oidc.utils import generate_code_challenge

from induction.models import Membership, Trust
from sso.models import TrustSignOn
from sso.session import FLOWS

from .conftest import SECRET_VARIABLE


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def member(make_user, trust):
    return make_user("kim", email="kim@testshire.nhs.uk", trust=trust, roles=["reader"])


@pytest.fixture
def other_sign_on(other_trust, provider):
    """A trust whose single sign-on is set up but switched off."""
    return TrustSignOn.objects.create(
        trust=other_trust,
        enabled=False,
        issuer=provider.issuer,
        tenant_id="0000",
        client_id="elsewhere",
        client_secret_variable="MDPORTAL_SSO_ELSEWHERE",
    )


def test_the_sign_in_page_has_no_single_sign_on_section_while_no_trust_offers_it(client, db):
    response = client.get("/accounts/login/")

    assert "Sign in with your NHS or trust account" not in text(response)
    assert "form-action 'self'" in response["Content-Security-Policy"]


def test_the_sign_in_page_offers_only_trusts_with_single_sign_on_on(
    client, sign_on, other_sign_on, provider
):
    response = client.get("/accounts/login/?next=/roles/")

    page = text(response)
    assert "Sign in with your NHS or trust account" in page
    assert '<option value="testshire">Testshire Hospitals NHS Foundation Trust</option>' in page
    assert "Elsewhere Community NHS Trust" not in page
    assert '<input type="hidden" name="next" value="/roles/">' in page
    # The chooser's redirects lead to the provider: the page's CSP allows its origin.
    assert f"form-action 'self' {provider.origin}" in response["Content-Security-Policy"]


def test_choosing_a_trust_goes_to_its_sign_in_keeping_next(client, sign_on):
    response = client.get("/accounts/sso/", {"trust": "testshire", "next": "/roles/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/sso/testshire/?next=%2Froles%2F"


def test_the_chooser_lists_the_trusts_and_a_trust_without_single_sign_on_is_not_found(
    client, sign_on, other_sign_on
):
    listed = client.get("/accounts/sso/")
    assert listed.status_code == 200
    assert "Testshire Hospitals NHS Foundation Trust" in text(listed)

    for response in (
        client.get("/accounts/sso/", {"trust": "elsewhere"}),
        client.get("/accounts/sso/elsewhere/"),
        client.get("/accounts/sso/nowhere/"),
    ):
        assert response.status_code == 404
        assert "Single sign-on is not set up for this trust" in text(response)


def test_the_start_sends_state_nonce_and_a_pkce_challenge_to_the_trust_s_provider(
    client, sign_on, provider
):
    response = client.get("/accounts/sso/testshire/")

    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{provider.issuer}/authorize/"
    )
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["client_id"] == "mdportal-testshire"
    assert query["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    assert query["scope"] == "openid email profile"
    assert query["response_type"] == "code"
    started = client.session["oidc_states"][query["state"]]
    assert started["nonce"] == query["nonce"]
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] == generate_code_challenge(started["code_verifier"], "S256")
    assert client.session[FLOWS][query["state"]]["trust"] == sign_on.trust_id


def test_a_missing_secret_makes_single_sign_on_unavailable(client, sign_on, monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE)

    response = client.get("/accounts/sso/testshire/")

    assert response.status_code == 503
    assert "Single sign-on is not available for Testshire" in text(response)


def test_an_unreachable_provider_is_a_plain_error_and_is_not_asked_again_at_once(
    client, sign_on, provider, caplog
):
    sign_on.issuer = "http://127.0.0.1:9/test-oidc/o"
    sign_on.save()

    response = client.get("/accounts/sso/testshire/")

    assert response.status_code == 502
    assert "Your trust's sign-in service did not sign you in" in text(response)
    assert client.get("/accounts/sso/testshire/").status_code == 502
    assert "could not be read less than 30 s ago" in caplog.text


def test_a_discovery_document_naming_another_issuer_is_refused(client, sign_on, settings, caplog):
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": "https://login.example.com/another-tenant/v2.0",
    }

    response = client.get("/accounts/sso/testshire/")

    assert response.status_code == 502
    assert "names the issuer 'https://login.example.com/another-tenant/v2.0'" in caplog.text


def test_a_callback_this_browser_did_not_start_is_refused(client, sign_on):
    response = client.get("/accounts/sso/callback/", {"code": "x", "state": "made-up"})

    assert response.status_code == 400
    assert "Your sign-in could not be finished" in text(response)
    assert SESSION_KEY not in client.session


def test_a_callback_works_once(client, sign_on, provider, sso_sign_in, member):
    provider.register("kim")
    signed_in = sso_sign_in(client, "kim")
    callback = next(url for url, _ in signed_in.redirect_chain if "/callback/" in url)
    client.logout()

    response = client.get(callback)

    assert response.status_code == 400
    assert "Your sign-in could not be finished" in text(response)


def test_a_sign_in_left_too_long_must_start_again(client, sign_on, provider, settings, member):
    provider.register("kim")
    client.post("/test-oidc/sign-in/", {"identity": "kim"})
    started = client.get("/accounts/sso/testshire/")
    settings.SSO_SIGN_IN_MINUTES = -1

    response = client.get(started["Location"], follow=True, SERVER_NAME="127.0.0.1",
                          SERVER_PORT=str(provider.port))  # fmt: skip

    assert response.status_code == 400
    assert "Start again" in text(response)
    assert 'href="/accounts/sso/testshire/"' in text(response)


def test_the_provider_s_error_is_a_plain_page_offering_to_start_again(client, sign_on, member):
    started = client.get("/accounts/sso/testshire/")
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]

    response = client.get(
        "/accounts/sso/callback/",
        {"error": "access_denied", "error_description": "<script>AADSTS50105</script>",
         "state": state},
    )  # fmt: skip

    assert response.status_code == 502
    assert "AADSTS50105" not in text(response)
    assert "Start again" in text(response)


def test_a_wrong_client_secret_is_a_provider_error(
    client, sign_on, provider, sso_sign_in, member, monkeypatch
):
    monkeypatch.setenv(SECRET_VARIABLE, "not-the-secret")
    provider.register("kim")

    response = sso_sign_in(client, "kim")

    assert response.status_code == 502
    assert SESSION_KEY not in client.session


def test_a_switched_off_trust_s_callback_signs_nobody_in(client, sign_on, provider, member):
    provider.register("kim")
    client.post("/test-oidc/sign-in/", {"identity": "kim"})
    started = client.get("/accounts/sso/testshire/")
    TrustSignOn.objects.filter(pk=sign_on.pk).update(enabled=False)

    response = client.get(started["Location"], follow=True, SERVER_NAME="127.0.0.1",
                          SERVER_PORT=str(provider.port))  # fmt: skip

    assert response.status_code == 503
    assert SESSION_KEY not in client.session


def test_the_provider_s_configuration_and_keys_are_fetched_once(
    client, sign_on, provider, sso_sign_in, member, monkeypatch
):
    import requests

    fetched = []
    real_get = requests.get

    def counting_get(url, *args, **kwargs):
        fetched.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(requests, "get", counting_get)
    provider.register("kim")
    sso_sign_in(client, "kim")
    client.logout()
    sso_sign_in(client, "kim")

    assert sorted(fetched) == sorted(
        [f"{provider.issuer}/.well-known/openid-configuration",
         f"{provider.issuer}/.well-known/jwks.json"]
    )  # fmt: skip


def test_keys_the_cache_does_not_have_are_fetched_again(
    client, sign_on, provider, sso_sign_in, member
):
    """A provider that rotated its keys: the cached set lacks the token's key."""
    from sso import provider as provider_module

    provider.register("kim")
    sso_sign_in(client, "kim")
    client.logout()
    jwks_uri = f"{provider.issuer}/.well-known/jwks.json"
    cache.set(provider_module._key("keys", jwks_uri), [{"kty": "RSA", "kid": "old-key"}])

    sso_sign_in(client, "kim")

    assert client.session[SESSION_KEY] == str(member.pk)


def test_membership_roles_of_a_signed_in_member_are_unchanged(
    client, sign_on, provider, sso_sign_in, member, trust
):
    provider.register("kim")
    sso_sign_in(client, "kim")
    assert set(Membership.objects.filter(user=member).values_list("role", flat=True)) == {"reader"}
    assert Trust.objects.for_user(member).get() == trust
