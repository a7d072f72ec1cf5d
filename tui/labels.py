"""Hop labels a person can tell apart: what the hop is, which way the packet goes, which subnet.

A path visits the same network ACL up to four times (the function's subnet out and back, the
NAT's subnet in, out, onward and back) and the same NAT or Lambda function twice (its state,
then its network). Labels that only say ``NACL acl-0214…d802`` hide which check failed, so each
label carries the direction (``out`` / ``in``, ``(return)`` for the reply of a stateless
filter), the subnet it is about (its Name tag when it has one) and, when two hops would still
read alike, what the hop checked. Pure functions over the verdict records: no Textual here, the
path widget and the tests share them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.graph.model.verdict import HopKind

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import Hop


STATUS_SYMBOLS: dict[str, str] = {"pass": "✔", "fail": "✘", "unknown": "?", "skip": "–"}

# What a hop checked, for hops of one resource that would otherwise read alike (the state of a
# function and then its network; a NAT gateway and then the route of the NAT's own subnet).
_CODE_WORDS: dict[str, str] = {
    "LAMBDA_STATE_ACTIVE": "state",
    "LAMBDA_MANAGED_NETWORK": "Lambda's own network",
    "NGW_AVAILABLE": "state",
    "NO_ROUTE_TO_DESTINATION": "route onward",
    "ROUTE": "route",
    "RETURN_ROUTE": "route back",
}


def kind_label(kind: HopKind | str) -> str:
    """The short name of a hop's kind (``NACL``, ``route table``): the model's own label
    (:attr:`HopKind.label`); a word that is no kind reads as itself."""
    try:
        return HopKind(kind).label
    except ValueError:
        return kind.replace("-", " ")


def short_id(resource: str, *, keep: int = 4) -> str:
    """``acl-021479dba6aa5d802`` → ``acl-0214…d802`` for narrow places (the evidence shows it
    whole). Anything that is not a ``prefix-hex`` id is only cleaned and cut to 28 characters."""
    text = clean(resource, limit=60)
    prefix, dash, rest = text.rpartition("-")
    if dash and prefix and len(rest) > 2 * keep + 1 and all(c in "0123456789abcdef" for c in rest):
        return f"{prefix}-{rest[:keep]}…{rest[-keep:]}"
    return clean(text, limit=28)


def acl_side(hop: Hop) -> str:
    """``out`` or ``in`` for a network-ACL hop: from its entry (``#100 out …``), else its
    sentence ("allows outbound …"); empty when neither says."""
    for item in hop.evidence:
        words = item.text.split()
        if len(words) > 1 and words[0].startswith("#") and words[1] in ("in", "out"):
            return words[1]
    detail = hop.detail.lower()
    if "outbound" in detail or "egress" in detail:
        return "out"
    if "inbound" in detail or "ingress" in detail:
        return "in"
    return ""


def sg_side(hop: Hop) -> str:
    """``egress`` or ``ingress`` for a security-group hop (from its rules, else its sentence)."""
    for item in hop.evidence:
        first = item.text.split(" ", 1)[0]
        if first in ("egress", "ingress"):
            return first
        if " to " in item.text.split(":", 1)[0]:
            return "egress"
        if " from " in item.text.split(":", 1)[0]:
            return "ingress"
    detail = hop.detail.lower()
    if "egress" in detail:
        return "egress"
    if "ingress" in detail:
        return "ingress"
    return ""


def is_reply(hop: Hop) -> bool:
    return str(hop.direction) == "reply"


def hop_direction(hop: Hop) -> str:
    """``out``, ``in (return)``, ``egress``, ``route back``…: which way this check looked."""
    if hop.kind == HopKind.NETWORK_ACL:
        side = acl_side(hop)
        return f"{side} (return)" if is_reply(hop) and side else (side or "")
    if hop.kind == HopKind.SECURITY_GROUP:
        return sg_side(hop)
    if hop.kind == HopKind.ROUTE_TABLE and is_reply(hop):
        return "return"
    return ""


@dataclass(frozen=True, slots=True)
class HopLabel:
    """One hop's label in columns (the path list aligns them)."""

    symbol: str
    kind: str
    resource: str
    direction: str
    subnet: str
    note: str = ""
    """What the hop checked, only when needed to tell two hops apart."""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.kind, self.resource, self.direction, self.subnet, self.note)

    def plain(self) -> str:
        parts = [self.symbol, self.kind]
        if self.resource:
            parts.append(self.resource)
        if self.direction:
            parts.append(self.direction)
        if self.note:
            parts.append(f"({self.note})")
        if self.subnet:
            parts.append(f"· {self.subnet}")
        return " ".join(parts)


def subnet_label(subnet_id: str | None, names: Mapping[str, str]) -> str:
    """A subnet as a person knows it: its Name tag, else its shortened id."""
    if not subnet_id:
        return ""
    name = names.get(subnet_id)
    if name and name != subnet_id:
        return clean(name, limit=32)
    return short_id(subnet_id)


_SUBNET_SCOPED = frozenset({HopKind.NETWORK_ACL, HopKind.ROUTE_TABLE, HopKind.SUBNET})
"""Kinds whose subnet is always named: a network ACL or route table is *of* a subnet."""


_NAMED_WHOLE = frozenset({HopKind.LAMBDA, HopKind.TARGET, HopKind.INTERNET, HopKind.FUNCTION})
"""Kinds whose resource is a name (a function, a host), shown whole rather than shortened."""


def hop_labels(
    hops: Sequence[Hop], subnet_names: Mapping[str, str], path_subnet: str | None = None
) -> list[HopLabel]:
    """Labels for a path's hops, each unique within the path.

    The subnet is named for network ACLs and route tables, and for any other hop that is not
    in the path's own subnet (the NAT gateway's subnet, the target's).
    """
    labels: list[HopLabel] = []
    for hop in hops:
        shown_subnet = (
            hop.subnet if hop.kind in _SUBNET_SCOPED or hop.subnet != path_subnet else None
        )
        resource = hop.resource or ""
        shown_id = short_id(resource) if resource and resource != hop.kind else ""
        if hop.kind in _NAMED_WHOLE:
            shown_id = clean(resource, limit=40) if resource != hop.kind else ""
        labels.append(
            HopLabel(
                symbol=STATUS_SYMBOLS.get(str(hop.status), "·"),
                kind=kind_label(hop.kind),
                resource=shown_id,
                direction=hop_direction(hop),
                subnet=subnet_label(shown_subnet, subnet_names),
            )
        )
    # Still alike: say what each one checked (the code in words), then number what is left.
    for _ in range(2):
        seen: dict[tuple[str, ...], list[int]] = {}
        for i, label in enumerate(labels):
            seen.setdefault(label.key, []).append(i)
        clashes = [indexes for indexes in seen.values() if len(indexes) > 1]
        if not clashes:
            break
        for indexes in clashes:
            for n, i in enumerate(indexes, start=1):
                label = labels[i]
                if not label.note:
                    code = hops[i].code
                    note = _CODE_WORDS.get(code) or code.lower().replace("_", " ")
                else:
                    note = f"{label.note} {n}"
                labels[i] = HopLabel(
                    label.symbol, label.kind, label.resource, label.direction, label.subnet, note
                )
    return labels
