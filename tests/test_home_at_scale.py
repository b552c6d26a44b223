"""The home page with many trusts: at most HOME_PACKS packs, the visitor's own trusts' first,
and a link to the trust list with how many there are; as short and as cheap with 60 trusts as
with two."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from induction.models import Membership
from mdportal.views import HOME_PACKS
from tests.induction.conftest import *  # noqa: F403  (trusts, packs and people)
from tests.induction.trust_helpers import add_public_trusts

pytestmark = pytest.mark.django_db


def listed(html):
    return html.split("Induction packs you can read", 1)[1].split("</ul>", 1)[0].count("<li>")


def test_many_trusts_show_the_first_ones_and_link_to_all(client, national):
    add_public_trusts(national, HOME_PACKS + 5)
    html = client.get("/").content.decode()
    assert listed(html) == HOME_PACKS
    assert f"See all {HOME_PACKS + 5} trust induction packs</a>" in html
    assert "Trust 000 NHS Trust" in html and f"Trust {HOME_PACKS + 4:03d}" not in html


def test_a_few_trusts_are_all_listed_without_a_link(client, national):
    add_public_trusts(national, 3)
    html = client.get("/").content.decode()
    assert listed(html) == 3
    assert "See all" not in html


def test_a_member_sees_their_own_trust_first(client, national, pack, reader):
    add_public_trusts(national, HOME_PACKS + 5, prefix="Aardvark")
    pack.trust.name = "Zennor Hospitals NHS Trust"
    pack.trust.save()
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert listed(html) == HOME_PACKS
    section = html.split("Induction packs you can read", 1)[1]
    assert section.index("Zennor Hospitals NHS Trust") < section.index("Aardvark 000")
    assert Membership.objects.filter(user=reader, trust=pack.trust).exists()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_the_queries_do_not_grow_with_the_number_of_trusts(client, national, reader, who):
    if who == "reader":
        client.force_login(reader)
    add_public_trusts(national, HOME_PACKS + 1)
    with CaptureQueriesContext(connection) as some:
        client.get("/")
    add_public_trusts(national, 50, prefix="More")
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(some)
