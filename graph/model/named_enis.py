"""The service-managed network interfaces of an account, indexed once, and the rules that tell
whose they are (as AWS labels them: ``RDSNetworkInterface``, ``Network interface for DBProxy
NAME``, requester ids), for :mod:`vpcdoctor.graph.model.named`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vpcdoctor.graph.model.account import Account
from vpcdoctor.graph.model.compute import DbInstance, NetworkInterface

RDS_DESCRIPTION = "RDSNetworkInterface"
PROXY_DESCRIPTION = "Network interface for DBProxy "
_RDS_REQUESTERS = frozenset({"amazon-rds"})


# --------------------------------------------------------------------------------------------
# Interfaces
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Interfaces:
    """The account's service-managed interfaces, indexed once (a check asks per name, an
    audit for every function, the graph for every resource)."""

    by_description: dict[str, list[NetworkInterface]]
    by_requester: dict[str, list[NetworkInterface]]
    rds: list[NetworkInterface]
    """RDSNetworkInterface or RequesterId amazon-rds, proxies' included."""


_INDEXES: dict[int, tuple[Account, _Interfaces]] = {}


def interfaces(account: Account) -> _Interfaces:
    hit = _INDEXES.get(id(account))
    if hit is not None and hit[0] is account:
        return hit[1]
    by_description: dict[str, list[NetworkInterface]] = {}
    by_requester: dict[str, list[NetworkInterface]] = {}
    rds: list[NetworkInterface] = []
    for eni in sorted(account.network_interfaces.values(), key=lambda e: e.id):
        if eni.is_lambda:
            continue
        by_description.setdefault(eni.description, []).append(eni)
        by_requester.setdefault(eni.requester_id or "", []).append(eni)
        if eni.description == RDS_DESCRIPTION or (eni.requester_id or "") in _RDS_REQUESTERS:
            rds.append(eni)
    index = _Interfaces(by_description, by_requester, rds)
    if len(_INDEXES) >= 4:
        _INDEXES.clear()
    _INDEXES[id(account)] = (account, index)  # holding the account keeps its id unique
    return index


def described(account: Account, *descriptions: str) -> list[NetworkInterface]:
    index = interfaces(account).by_description
    found = [e for d in descriptions for e in index.get(d, ())]
    return sorted(found, key=lambda e: e.id)


def requested_by(account: Account, requesters: frozenset[str]) -> list[NetworkInterface]:
    index = interfaces(account).by_requester
    return sorted((e for r in requesters for e in index.get(r, ())), key=lambda e: e.id)


def rds_enis(account: Account, *, proxies: bool) -> list[NetworkInterface]:
    found = interfaces(account).rds
    return (
        found if proxies else [e for e in found if not e.description.startswith(PROXY_DESCRIPTION)]
    )


def narrowed(
    candidates: Iterable[NetworkInterface],
    *,
    vpc_id: str | None,
    subnets: Iterable[str] | None,
    groups: Iterable[str] | None,
    az: str | None = None,
) -> list[NetworkInterface]:
    """Candidates in the resource's VPC and subnets, with exactly its groups, in its AZ."""
    subnet_set = set(subnets or ())
    group_set = set(groups or ())
    out = []
    for eni in candidates:
        if vpc_id and eni.vpc_id != vpc_id:
            continue
        if subnet_set and eni.subnet_id not in subnet_set:
            continue
        if group_set and set(eni.security_group_ids) != group_set:
            continue
        if az and eni.az and eni.az != az:
            continue
        out.append(eni)
    return out


def instance_enis(account: Account, inst: DbInstance) -> list[NetworkInterface]:
    return narrowed(
        rds_enis(account, proxies=False),
        vpc_id=inst.vpc_id,
        subnets=inst.subnet_ids,
        groups=inst.security_group_ids,
        az=inst.availability_zone,
    )
