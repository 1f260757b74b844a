"""Who is calling, by address, for the sign-in throttle and the audit log.

The peer's address, unless the peer is one of the reverse proxies `SSJ_TRUSTED_PROXIES` names:
then the client is the last address in `X-Forwarded-For` that is not itself such a proxy (each
proxy appends the address it was called from, so what a client writes there itself is to the
left of what the proxies wrote, and never read). Behind an undeclared proxy every caller would
share its address: five wrong codes from anyone would hold everyone back.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from field_api.keys import SETTINGS


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: web.Request) -> str:
    peer = request.remote or "unknown"
    networks = request.app[SETTINGS].proxy_networks
    if not networks:
        return peer

    def trusted(address) -> bool:
        return address is not None and any(address in network for network in networks)

    if not trusted(_address(peer)):
        return peer
    hops = [h for value in request.headers.getall("X-Forwarded-For", []) for h in value.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # not what a proxy writes: nothing to the left of it can be believed
        if not trusted(address):
            return str(address)
    return peer
