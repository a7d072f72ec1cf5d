"""The one table of special-use IP ranges (RFC 6890 and its updates), and what each means here.

Target parsing, the packet filters, the checklist and the engine all ask this module whether an
address is "the internet": none of these ranges ever is. Sources: RFC 6890 (the special-purpose
address registries), RFC 1918 (private), RFC 6598 (shared address space, 100.64.0.0/10, used by
carrier-grade NAT and sometimes inside VPCs), RFC 2544 (benchmarking), RFC 5737 / RFC 3849
(documentation), RFC 4193 (unique local IPv6), RFC 5771 / RFC 4291 (multicast), RFC 1112
(reserved 240.0.0.0/4). https://www.rfc-editor.org/rfc/rfc6890
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from vpcdoctor.graph.model.base import IPAddress, IPNetwork


class Reach(StrEnum):
    """Where an address can be."""

    INTERNET = "internet"
    """Globally routed unicast: reachable through an internet gateway or a NAT gateway."""
    INTERNAL = "internal"
    """Not on the internet, but routable inside networks (a VPC, a transit gateway, a VPN):
    private, shared (CGNAT), benchmarking, unique local, documentation ranges."""
    NOWHERE = "nowhere"
    """Never forwarded by a VPC router: loopback, link-local, multicast, reserved, broadcast,
    "this network", unspecified."""


@dataclass(frozen=True, slots=True)
class SpecialRange:
    network: IPNetwork
    name: str
    """What the range is for, as a person says it ("shared address space (CGNAT)")."""
    rfc: str
    reach: Reach


def _r(cidr: str, name: str, rfc: str, reach: Reach) -> SpecialRange:
    return SpecialRange(network=ipaddress.ip_network(cidr), name=name, rfc=rfc, reach=reach)


_I, _N = Reach.INTERNAL, Reach.NOWHERE

SPECIAL_RANGES: tuple[SpecialRange, ...] = (
    _r("0.0.0.0/8", '"this network"', "RFC 791", _N),
    _r("10.0.0.0/8", "private", "RFC 1918", _I),
    _r("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598", _I),
    _r("127.0.0.0/8", "loopback", "RFC 1122", _N),
    _r("169.254.0.0/16", "link-local", "RFC 3927", _N),
    _r("172.16.0.0/12", "private", "RFC 1918", _I),
    _r("192.0.0.0/24", "IETF protocol assignments", "RFC 6890", _I),
    _r("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737", _I),
    _r("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526", _I),
    _r("192.168.0.0/16", "private", "RFC 1918", _I),
    _r("198.18.0.0/15", "benchmarking", "RFC 2544", _I),
    _r("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737", _I),
    _r("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737", _I),
    _r("224.0.0.0/4", "multicast", "RFC 5771", _N),
    _r("240.0.0.0/4", "reserved", "RFC 1112", _N),
    _r("255.255.255.255/32", "limited broadcast", "RFC 919", _N),
    _r("::/128", "unspecified", "RFC 4291", _N),
    _r("::1/128", "loopback", "RFC 4291", _N),
    _r("::ffff:0:0/96", "IPv4-mapped", "RFC 4291", _N),
    _r("64:ff9b:1::/48", "local-use IPv4/IPv6 translation", "RFC 8215", _I),
    _r("100::/64", "discard-only", "RFC 6666", _N),
    _r("2001:db8::/32", "documentation", "RFC 3849", _I),
    _r("fc00::/7", "unique local", "RFC 4193", _I),
    _r("fe80::/10", "link-local", "RFC 4291", _N),
    _r("ff00::/8", "multicast", "RFC 4291", _N),
)
"""Most specific first is not needed: the ranges do not overlap."""

AMAZON_DNS_V4 = ipaddress.IPv4Address("169.254.169.253")
"""The Amazon-provided DNS server's link-local address (also VPC base + 2)."""
AMAZON_DNS_V6 = ipaddress.IPv6Address("fd00:ec2::253")


@lru_cache(maxsize=4096)
def special_range(ip: IPAddress) -> SpecialRange | None:
    """The special-use range ``ip`` is in, or None for a globally routed address."""
    for r in SPECIAL_RANGES:
        if r.network.version == ip.version and ip in r.network:
            return r
    return None


def reach_of(ip: IPAddress) -> Reach:
    found = special_range(ip)
    return Reach.INTERNET if found is None else found.reach


def is_internet(ip: IPAddress) -> bool:
    """True for a globally routed unicast address (the only kind an IGW or NAT carries out)."""
    return special_range(ip) is None


def is_private(ip: IPAddress) -> bool:
    """True for every address that is not the internet (private, shared, link-local…)."""
    return special_range(ip) is not None


def network_reach(net: IPNetwork) -> Reach | None:
    """The reach of every address of ``net`` when they share one (None when it straddles)."""
    for r in SPECIAL_RANGES:
        if r.network.version != net.version:
            continue
        if net.subnet_of(r.network):  # type: ignore[arg-type]
            return r.reach
        if net.overlaps(r.network):
            return None
    return Reach.INTERNET


def describe(ip: IPAddress) -> str:
    """``100.64.0.5 is shared address space (carrier-grade NAT, RFC 6598)``-style words."""
    found = special_range(ip)
    if found is None:
        return f"{ip} is a public address"
    return f"{ip} is {found.name} ({found.rfc})"
