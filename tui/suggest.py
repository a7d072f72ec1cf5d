"""What a person may want to reach from one function: the "Reach what?" suggestions.

Only reads the model (the VPC's endpoints, the private hosted zones associated with it); TARGET
parsing and every verdict stay in ``graph.targets`` and ``diagnostics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.suggester import Suggester

from vpcdoctor.diagnostics.safe_text import clean

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
    return account.function_vpc(fn) if fn is not None else None


def _usable_name(name: str) -> bool:
    return bool(name) and "*" not in name and clean(name, limit=0) == name and " " not in name


def target_candidates(account: Account, function: str, recent: list[str]) -> list[Candidate]:
    """The VPC's own names first (records of its private hosted zones, domains its Resolver
    rules forward), then recent targets, ``internet``, the VPC's endpoint services, others.

    The VPC's names come first because they are what a person debugging a private
    integration types (``erp.corp.internal``), and the list is short after filtering.
    """
    out: list[Candidate] = []
    seen: set[str] = set()

    def add(value: str, why: str) -> None:
        if value and value not in seen:
            seen.add(value)
            out.append(Candidate(value, why))

    vpc_id = function_vpc(account, function)
    if vpc_id is not None:
        later: list[Candidate] = []
        for zone in sorted(account.hosted_zones.values(), key=lambda z: z.name):
            if not zone.private:
                continue
            associated = zone.associated_with(vpc_id) is True
            why = f"private zone {clean(zone.name, limit=40)}"
            if not associated:
                why += ", not associated with this VPC"
            names = sorted({r.name for r in zone.records or () if r.type in ("A", "AAAA", "CNAME")})
            for name in names[:30]:
                if _usable_name(name) and name.rstrip(".") != zone.name.rstrip("."):
                    if associated:
                        add(name.rstrip("."), why)
                    else:
                        later.append(Candidate(name.rstrip("."), why))
        associated_rules = {
            a.rule_id for a in account.resolver_rule_associations.values() if a.vpc_id == vpc_id
        }
        for rule in sorted(account.resolver_rules.values(), key=lambda r: r.domain_name):
            if str(rule.rule_type).upper() != "FORWARD":
                continue
            domain = rule.domain_name.rstrip(".")
            if not _usable_name(domain):
                continue
            if rule.id in associated_rules:
                add(domain, f"Resolver rule {clean(rule.id, limit=40)} forwards it")
            else:
                later.append(
                    Candidate(domain, f"Resolver rule {clean(rule.id, limit=40)}, not associated")
                )
        for candidate in later:
            add(candidate.value, candidate.why)
    for target in recent:
        add(target, "recent")
    add("internet", "any public address (through NAT / IGW)")
    if vpc_id is not None:
        for endpoint in sorted(account.vpc_endpoints.values(), key=lambda e: e.service_name):
            if endpoint.vpc_id == vpc_id:
                add(
                    endpoint.service_short_name,
                    f"{endpoint.type.value} endpoint {clean(endpoint.id, limit=40)}",
                )
    for service in COMMON_SERVICES:
        add(service, "AWS service")
    return out


def matching(candidates: list[Candidate], typed: str) -> list[Candidate]:
    """The candidates that contain what was typed (those that start with it first)."""
    typed = typed.strip().lower()
    if not typed:
        return list(candidates)
    starts = [c for c in candidates if c.value.lower().startswith(typed)]
    inside = [c for c in candidates if typed in c.value.lower() and c not in starts]
    return starts + inside


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
