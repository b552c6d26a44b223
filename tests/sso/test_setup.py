"""Setting a trust's single sign-on up: what the admin accepts and shows (never the secret),
the rules on the issuer and the secret's variable, and the check that warns of a trust whose
secret is missing."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sso.checks import sign_on_secrets_are_set
from sso.models import TrustSignOn

TENANT = "0b7e6b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"


def sign_on_for(trust, **fields):
    values = {
        "trust": trust,
        "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "tenant_id": TENANT,
        "client_id": "client",
        "client_secret_variable": "MDPORTAL_SSO_TESTSHIRE",
        **fields,
    }
    return TrustSignOn(**values)


@pytest.mark.parametrize(
    "field, value",
    [
        ("issuer", "http://login.microsoftonline.com/x/v2.0"),
        ("issuer", "https://login.microsoftonline.com/common/v2.0"),
        ("issuer", "https://login.microsoftonline.com/organizations/v2.0"),
        ("client_secret_variable", "DJANGO_SECRET_KEY"),
        ("client_secret_variable", "MDPORTAL_SSO_lower"),
        ("email_domains", "Testshire.nhs.uk; nhs.net"),
    ],
)
def test_the_settings_that_would_be_unsafe_are_refused(trust, field, value):
    with pytest.raises(ValidationError) as refused:
        sign_on_for(trust, **{field: value}).full_clean()
    assert field in refused.value.message_dict


def test_a_tenant_s_own_issuer_is_accepted_and_tidied(trust):
    sign_on = sign_on_for(
        trust,
        issuer=f"https://login.microsoftonline.com/{TENANT}/v2.0/",
        tenant_id=f" {TENANT.upper()} ",
        email_domains="testshire.nhs.uk,nhs.net",
    )
    sign_on.full_clean()
    assert sign_on.issuer == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert sign_on.tenant_id == TENANT
    assert sign_on.allowed_domains() == ["testshire.nhs.uk", "nhs.net"]
    assert sign_on.allows_email("a@nhs.net") and not sign_on.allows_email("a@example.com")


def test_the_check_warns_of_a_switched_on_trust_without_its_secret(trust, monkeypatch):
    monkeypatch.delenv("MDPORTAL_SSO_TESTSHIRE", raising=False)
    sign_on = sign_on_for(trust, enabled=True)
    sign_on.save()

    [warning] = sign_on_secrets_are_set(None, databases=["default"])
    assert warning.id == "sso.W001"
    assert "MDPORTAL_SSO_TESTSHIRE" in warning.msg

    monkeypatch.setenv("MDPORTAL_SSO_TESTSHIRE", "secret")
    assert sign_on_secrets_are_set(None, databases=["default"]) == []
    monkeypatch.delenv("MDPORTAL_SSO_TESTSHIRE")
    sign_on.enabled = False
    sign_on.save()
    assert sign_on_secrets_are_set(None, databases=["default"]) == []


def test_the_check_runs_with_the_database_checks(trust, monkeypatch, capsys):
    monkeypatch.delenv("MDPORTAL_SSO_TESTSHIRE", raising=False)
    sign_on_for(trust, enabled=True).save()

    call_command("check", "--database", "default")

    assert "sso.W001" in capsys.readouterr().err


@pytest.fixture
def admin_client(client, staff_superuser):
    client.force_login(staff_superuser)
    return client


def admin_data(trust, **changes):
    return {
        "trust": trust.pk,
        "enabled": "on",
        "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "tenant_id": TENANT,
        "client_id": "client",
        "client_secret_variable": "MDPORTAL_SSO_TESTSHIRE",
        "email_domains": "testshire.nhs.uk",
        "group_mappings-TOTAL_FORMS": "1",
        "group_mappings-INITIAL_FORMS": "0",
        "group_mappings-MIN_NUM_FORMS": "0",
        "group_mappings-MAX_NUM_FORMS": "1000",
        "group_mappings-0-group_id": "ABC-GROUP",
        "group_mappings-0-role": "editor",
        **changes,
    }


def test_platform_staff_set_up_a_trust_with_its_group_mapping_in_the_admin(
    admin_client, trust, monkeypatch
):
    monkeypatch.setenv("MDPORTAL_SSO_TESTSHIRE", "the-real-secret-value")

    response = admin_client.post("/admin/sso/trustsignon/add/", admin_data(trust))

    assert response.status_code == 302, unescape(response.content.decode())[:3000]
    sign_on = TrustSignOn.objects.get(trust=trust)
    assert sign_on.enabled and not sign_on.allow_just_in_time_accounts
    assert list(sign_on.group_mappings.values_list("group_id", "role")) == [("abc-group", "editor")]
    page = unescape(
        admin_client.get(f"/admin/sso/trustsignon/{sign_on.pk}/change/").content.decode()
    )
    assert "Set in the environment (MDPORTAL_SSO_TESTSHIRE)" in page
    assert "the-real-secret-value" not in page
    assert "http://127.0.0.1:8000/accounts/sso/callback/" in page


def test_the_admin_refuses_another_variable_and_says_when_the_secret_is_missing(
    admin_client, trust, monkeypatch
):
    monkeypatch.delenv("MDPORTAL_SSO_TESTSHIRE", raising=False)
    refused = admin_client.post(
        "/admin/sso/trustsignon/add/", admin_data(trust, client_secret_variable="DJANGO_SECRET_KEY")
    )
    assert refused.status_code == 200
    assert not TrustSignOn.objects.exists()

    admin_client.post("/admin/sso/trustsignon/add/", admin_data(trust))
    sign_on = TrustSignOn.objects.get(trust=trust)
    page = unescape(
        admin_client.get(f"/admin/sso/trustsignon/{sign_on.pk}/change/").content.decode()
    )
    assert "Missing: set MDPORTAL_SSO_TESTSHIRE on every web server" in page


def test_the_links_to_tenant_accounts_are_listed_read_only(admin_client, db):
    assert admin_client.get("/admin/sso/signonidentity/").status_code == 200
    assert admin_client.get("/admin/sso/signonidentity/add/").status_code == 403
