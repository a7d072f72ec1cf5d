"""What a person may want to reach from one function: the "Reach what?" suggestions.

Only reads the model (the VPC's endpoints, the private hosted zones associated with it); TARGET
parsing and every verdict stay in ``graph.targets`` and ``diagnostics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.suggester import Suggester

from vpcdoctor.tui.untrusted import clean

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account

COMMON_SERVICES = ("s3", "dynamodb", "sts", "secretsmanager", "logs", "kms", "ssm", "sqs")
"""Services people most often find unreachable from a VPC; offered after the account's own."""


@dataclass(frozen=True, slots=True)
class Candidate:
    value: str
    """What goes into the target input."""
    why: str
    """Where the suggestion comes from, for the list."""


def function_vpc(account: Account, function: str) -> str | None:
    fn = account.functions.get(function)
    if fn is None or fn.vpc is None or not fn.in_vpc:
        return None
    if fn.vpc.vpc_id:
        return fn.vpc.vpc_id
    for subnet_id in fn.vpc.subnet_ids:
        subnet = account.subnets.get(subnet_id)
        if subnet is not None:
            return subnet.vpc_id
    return None


def _usable_name(name: str) -> bool:
    return bool(name) and "*" not in name and clean(name, limit=0) == name and " " not in name


def target_candidates(account: Account, function: str, recent: list[str]) -> list[Candidate]:
    """Recent targets, ``internet``, the VPC's endpoint services, private zone names, others."""
    out: list[Candidate] = []
    seen: set[str] = set()

    def add(value: str, why: str) -> None:
        if value and value not in seen:
            seen.add(value)
            out.append(Candidate(value, why))

    for target in recent:
        add(target, "recent")
    add("internet", "any public address (through NAT / IGW)")
    vpc_id = function_vpc(account, function)
    if vpc_id is not None:
        for endpoint in sorted(account.vpc_endpoints.values(), key=lambda e: e.service_name):
            if endpoint.vpc_id == vpc_id:
                add(
                    endpoint.service_short_name,
                    f"{endpoint.type.value} endpoint {clean(endpoint.id, limit=40)}",
                )
        for zone in sorted(account.hosted_zones.values(), key=lambda z: z.name):
            if not zone.private or zone.associated_with(vpc_id) is not True:
                continue
            names = sorted({r.name for r in zone.records or () if r.type in ("A", "AAAA", "CNAME")})
            for name in names[:30]:
                if _usable_name(name):
                    add(name, f"private zone {clean(zone.name, limit=40)}")
    for service in COMMON_SERVICES:
        add(service, "AWS service")
    return out


class TargetSuggester(Suggester):
    """Completes the target input from :func:`target_candidates` (prefix match)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.candidates = candidates

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        for candidate in self.candidates:
            if candidate.value.lower().startswith(value) and candidate.value.lower() != value:
                return candidate.value
        return None
