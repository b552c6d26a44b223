"""The client's address: REMOTE_ADDR, or behind trusted proxies the last hop of
X-Forwarded-For that is not one of them, never an entry the client wrote itself."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from mdportal.client_address import client_address
from mdportal.settings import env_networks

NGINX = "10.9.9.9"
CLIENT = "203.0.113.7"


def request_from(remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(NGINX)]


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from(CLIENT, "198.51.100.1")) == CLIENT


@pytest.mark.parametrize(
    "spoofed",
    [
        "198.51.100.1",
        "10.9.9.9",  # the proxy's own address, written by the client
        "unknown",
        "198.51.100.1, 198.51.100.2, 198.51.100.3",
        "",
    ],
)
def test_behind_nginx_the_client_is_the_entry_nginx_appended_whatever_came_before(
    behind_nginx, spoofed
):
    # nginx's $proxy_add_x_forwarded_for: the client's header, then the address nginx saw.
    forwarded = f"{spoofed}, {CLIENT}" if spoofed else CLIENT
    assert client_address(request_from(NGINX, forwarded)) == CLIENT


def test_a_client_connecting_around_the_proxy_cannot_name_its_address(behind_nginx):
    assert client_address(request_from(CLIENT, "198.51.100.1")) == CLIENT


def test_two_proxies_in_a_trusted_network_are_both_walked_past(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    forwarded = f"198.51.100.1, {CLIENT}, 10.0.0.2"
    assert client_address(request_from("10.0.0.3", forwarded)) == CLIENT


def test_junk_appended_next_to_a_proxy_stops_the_walk_at_the_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    # A trusted hop must have appended a real address; junk means nothing left of it counts.
    assert client_address(request_from("10.0.0.3", f"{CLIENT}, junk, 10.0.0.2")) == "10.0.0.2"


def test_a_proxy_that_sends_no_header_gives_its_own_address(behind_nginx):
    assert client_address(request_from(NGINX)) == NGINX


def test_a_client_inside_the_trusted_network_is_the_furthest_hop(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address(request_from("10.0.0.3", "10.1.2.3, 10.0.0.2")) == "10.1.2.3"


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        (f"{CLIENT}:51234", CLIENT),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        (f"::ffff:{CLIENT}", CLIENT),
    ],
)
def test_ports_and_mapped_addresses_are_read_as_the_address(behind_nginx, entry, address):
    assert client_address(request_from(NGINX, f"198.51.100.1, {entry}")) == address


def test_a_missing_remote_address_is_no_address(behind_nginx):
    assert client_address(request_from("", CLIENT)) is None


def test_trusted_proxies_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.9.9.9, 2001:db8::/64,192.168.0.0/16")
    assert env_networks("DJANGO_TRUSTED_PROXIES") == [
        ipaddress.ip_network("10.9.9.9/32"),
        ipaddress.ip_network("2001:db8::/64"),
        ipaddress.ip_network("192.168.0.0/16"),
    ]


def test_a_bad_trusted_proxy_entry_stops_the_portal_with_a_message(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.9.9.9, nginx")
    with pytest.raises(ImproperlyConfigured, match="'nginx' is not an IP address or network"):
        env_networks("DJANGO_TRUSTED_PROXIES")
