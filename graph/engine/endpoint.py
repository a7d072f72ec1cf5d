"""One side of a connection, as precise as the snapshot allows, and the public address space.

An :class:`Endpoint` is exact (an address), a set of networks (a subnet when the ENI's address is
unknown, an interface endpoint's subnets), or "some public address" (a public host name whose
address only DNS knows, the ``internet`` shorthand, a public AWS endpoint). Matching it against a
CIDR is three-valued: ``True`` (every address of the endpoint is inside), ``False`` (none is),
``None`` (some are: the answer depends on which address, so whoever asks says unknown rather
than guess).

"Some public address" ranges over the **public space**: every IPv4 (or IPv6) address outside the
special-use ranges of :mod:`vpcdoctor.graph.model.addresses`. :func:`covers_public` tells whether
a set of CIDRs covers all of it (``0.0.0.0/1`` + ``128.0.0.0/1`` does; ``0.0.0.0/1`` alone does
not), which is how a rule or a route set is judged for a name whose address is unknown.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from vpcdoctor.graph.model import IPAddress, IPNetwork
from vpcdoctor.graph.model.addresses import SPECIAL_RANGES

Interval = tuple[int, int]
"""An inclusive range of addresses as integers."""


def _bounds(net: IPNetwork) -> Interval:
    # Route and rule lookups call this hundreds of times per check: ``_ip`` is the address's int
    # in every CPython ipaddress (typeshed does not declare it); int() costs 4x the attribute.
    lo: int = net.network_address._ip  # type: ignore[union-attr]
    hi: int = net.broadcast_address._ip  # type: ignore[union-attr]
    return lo, hi


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-adjacent intervals covering the same addresses."""
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def subtract(intervals: list[Interval], lo: int, hi: int) -> list[Interval]:
    """``intervals`` without ``lo..hi``."""
    out: list[Interval] = []
    for a, b in intervals:
        if hi < a or lo > b:
            out.append((a, b))
            continue
        if a < lo:
            out.append((a, lo - 1))
        if hi < b:
            out.append((hi + 1, b))
    return out


def overlaps_any(intervals: list[Interval], lo: int, hi: int) -> bool:
    return any(not (hi < a or lo > b) for a, b in intervals)


@lru_cache(maxsize=2)
def public_space(version: int) -> tuple[Interval, ...]:
    """Every address of one IP version outside the special-use ranges, as intervals."""
    top = (1 << 32) - 1 if version == 4 else (1 << 128) - 1
    space = [(0, top)]
    for r in SPECIAL_RANGES:
        if r.network.version == version:
            space = subtract(space, *_bounds(r.network))
    if version == 6:
        # Only 2000::/3 is allocated global unicast; the rest of IPv6 is not "the internet".
        lo, hi = _bounds(ipaddress.IPv6Network("2000::/3"))
        space = [(max(a, lo), min(b, hi)) for a, b in space if b >= lo and a <= hi]
    return tuple(space)


def covers_public(cidrs: Iterable[IPNetwork], version: int = 4) -> bool:
    """True when the CIDRs together contain every public address of ``version``."""
    remaining = list(public_space(version))
    for c in cidrs:
        if c.version == version:
            remaining = subtract(remaining, *_bounds(c))
            if not remaining:
                return True
    return not remaining


def touches_public(cidr: IPNetwork) -> bool:
    """True when ``cidr`` holds at least one public address."""
    lo, hi = _bounds(cidr)
    return overlaps_any(list(public_space(cidr.version)), lo, hi)


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One side of a connection, as precise as the snapshot allows."""

    nets: tuple[IPNetwork, ...] = ()
    """The addresses it may have (a /32 for an exact address)."""
    any_public: bool = False
    """"Some public address": a public name, the internet shorthand, a public AWS endpoint."""
    prefix_lists: frozenset[str] = frozenset()
    """Prefix lists that contain it by definition (a service's gateway-endpoint list)."""
    version: int = 4
    label: str = ""

    @classmethod
    def address(cls, ip: IPAddress | str, label: str = "") -> Endpoint:
        addr = ipaddress.ip_address(ip)
        return cls(
            nets=(ipaddress.ip_network(addr),), version=addr.version, label=label or str(addr)
        )

    @classmethod
    def network(cls, cidr: IPNetwork, label: str = "") -> Endpoint:
        return cls(nets=(cidr,), version=cidr.version, label=label or str(cidr))

    @classmethod
    def public(
        cls,
        label: str = "the internet",
        *,
        version: int = 4,
        prefix_lists: Iterable[str] = (),
        nets: tuple[IPNetwork, ...] = (),
    ) -> Endpoint:
        return cls(
            nets=nets,
            any_public=not nets,
            version=version,
            prefix_lists=frozenset(prefix_lists),
            label=label,
        )

    @property
    def ip(self) -> IPAddress | None:
        if len(self.nets) == 1 and self.nets[0].num_addresses == 1:
            return self.nets[0].network_address
        return None

    @property
    def cidr_text(self) -> str:
        """A CIDR to put in a fix command."""
        if self.any_public or not self.nets:
            return "0.0.0.0/0" if self.version == 4 else "::/0"
        return str(self.nets[0])

    def intervals(self) -> list[Interval]:
        """The addresses it may have, as intervals (public space for "some public address")."""
        if self.any_public and not self.nets:
            return list(public_space(self.version))
        return merge(_bounds(n) for n in self.nets if n.version == self.version)

    def in_cidr(self, cidr: IPNetwork) -> bool | None:
        """Is every address of the endpoint inside ``cidr``? (None: some are.)"""
        if cidr.version != self.version:
            return False
        c_lo, c_hi = _bounds(cidr)
        if self.any_public and not self.nets:
            if cidr.prefixlen == 0:
                return True
            space = public_space(self.version)
            if not any(not (c_hi < a or c_lo > b) for a, b in space):
                return False
            inside = all(c_lo <= lo and hi <= c_hi for lo, hi in space)
            return True if inside else None
        if not self.nets:
            return None
        inside = True
        overlaps = False
        for n in self.nets:
            if n.version != cidr.version:
                raise TypeError(f"{n} and {cidr} are not of the same version")
            lo, hi = _bounds(n)
            if not (c_lo <= lo and hi <= c_hi):
                inside = False
            if lo <= c_hi and c_lo <= hi:
                overlaps = True
        if inside:
            return True
        if not overlaps:
            return False
        return None

    def in_any(self, cidrs: Iterable[IPNetwork]) -> bool | None:
        """Is every address inside the union of ``cidrs`` (a prefix list's entries)?"""
        mine = self.intervals()
        if not mine:
            return None
        remaining = mine
        touched = False
        for c in cidrs:
            if c.version != self.version:
                continue
            lo, hi = _bounds(c)
            if overlaps_any(remaining, lo, hi):
                touched = True
                remaining = subtract(remaining, lo, hi)
                if not remaining:
                    return True
        return None if touched else False
