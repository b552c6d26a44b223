"""The address of the person making a request, the one place that works it out.

Without a proxy it is REMOTE_ADDR. Behind reverse proxies listed in DJANGO_TRUSTED_PROXIES it
is read from X-Forwarded-For, whose entries each proxy appends on the right (nginx's
`$proxy_add_x_forwarded_for`): walking from the right, past our own proxies, the first address
that is not one of them is the client. Everything to the left of it was written by the client
and is ignored, so a forged header can neither pick an address nor hide the real one.

Used by the sign-in throttle (django-axes' AXES_CLIENT_IP_CALLABLE) and the password reset
limits.
"""

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str | None:
    """The client's address as a string, or None if the request has no valid REMOTE_ADDR."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    nearest = remote
    if _is_trusted_proxy(nearest):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for entry in reversed(forwarded.split(",")):
            hop = _parse(entry)
            if hop is None:
                # Our proxies only ever append addresses, so this entry came from whoever
                # connected to the nearest one: nothing from here leftwards can be believed.
                break
            nearest = hop
            if not _is_trusted_proxy(hop):
                break
    return str(nearest)


def _is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def _parse(entry: str) -> Address | None:
    """An address from one X-Forwarded-For entry or REMOTE_ADDR, tolerating the port some load
    balancers add (`192.0.2.1:5000`, `[2001:db8::1]:5000`); None if it is not an address."""
    text = entry.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d; it is the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
