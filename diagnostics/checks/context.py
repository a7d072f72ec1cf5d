"""What every check reads: the account, the function, the targets asked about, and helpers.

The helpers answer the questions several steps ask (which route table a subnet uses, where its
default route goes, which export would settle a gap) so each check stays small.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vpcdoctor.graph.model import (
    Account,
    EndpointType,
    LambdaFunction,
    NatGateway,
    Route,
    RouteState,
    RouteTable,
    SecurityGroup,
    Subnet,
    VpcEndpoint,
)
from vpcdoctor.graph.model.addresses import is_private
from vpcdoctor.graph.model.kinds import kind

DEFAULT_ROUTE = ipaddress.ip_network("0.0.0.0/0")


@dataclass(frozen=True, slots=True, kw_only=True)
class StepContext:
    """The inputs of one walk."""

    account: Account
    function: LambdaFunction
    targets: tuple[str, ...] = ()
    prices_override: str | None = None
    """A price TOML path that replaces ``$VPCDOCTOR_PRICES`` (tests, the TUI)."""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # ---- the function ----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.function.name

    @property
    def in_vpc(self) -> bool:
        return self.function.in_vpc

    @property
    def subnet_ids(self) -> tuple[str, ...]:
        return self.function.vpc.subnet_ids if self.function.vpc else ()

    @property
    def sg_ids(self) -> tuple[str, ...]:
        return self.function.vpc.security_group_ids if self.function.vpc else ()

    @property
    def region(self) -> str | None:
        """The account's region, else the one in the function's ARN."""
        if self.account.region:
            return self.account.region
        parts = self.function.arn.split(":")
        return parts[3] if len(parts) > 4 and parts[3] else None

    @property
    def vpc_id(self) -> str | None:
        return self.account.function_vpc(self.function)

    def subnets(self) -> tuple[Subnet, ...]:
        """The function's subnets the snapshot knows (in VpcConfig order)."""
        return tuple(self.account.subnets[s] for s in self.subnet_ids if s in self.account.subnets)

    def missing_subnets(self) -> tuple[str, ...]:
        return tuple(s for s in self.subnet_ids if s not in self.account.subnets)

    def security_groups(self) -> tuple[SecurityGroup, ...]:
        return tuple(
            self.account.security_groups[g]
            for g in self.sg_ids
            if g in self.account.security_groups
        )

    def missing_security_groups(self) -> tuple[str, ...]:
        return tuple(g for g in self.sg_ids if g not in self.account.security_groups)

    def azs(self) -> tuple[str, ...]:
        """Distinct AZs of the known subnets, sorted."""
        return tuple(sorted({s.az for s in self.subnets()}))

    # ---- what the snapshot holds -------------------------------------------------------------
    def known(self, kind_name: str, mapping: Mapping[str, object] | None = None) -> bool:
        """True when the snapshot holds this kind (or, for accounts built in code, any record)."""
        return self.account.has(kind_name) or bool(mapping)

    def need(self, kind_name: str, owner: str | None = None) -> str:
        """The AWS CLI command that exports ``kind_name`` (for the owner, if per-resource)."""
        cli = kind(kind_name).cli
        # The owner (a function name, a zone id) comes from the snapshot: quoted, so the
        # command can be pasted whatever it holds (issue 12 item 1).
        return cli.replace("{id}", shlex.quote(owner)) if owner else cli

    # ---- routing -------------------------------------------------------------------------------
    def route_table(self, subnet_id: str) -> RouteTable | None:
        return self.account.route_table_for(subnet_id)

    def route_tables(self) -> tuple[RouteTable, ...]:
        """Distinct route tables of the function's subnets, in subnet order."""
        seen: dict[str, RouteTable] = {}
        for subnet_id in self.subnet_ids:
            rtb = self.route_table(subnet_id)
            if rtb is not None:
                seen.setdefault(rtb.id, rtb)
        return tuple(seen.values())

    @staticmethod
    def default_route(rtb: RouteTable) -> Route | None:
        """The 0.0.0.0/0 route of a table (active or blackhole), if any."""
        for route in rtb.routes:
            if route.destination == DEFAULT_ROUTE:
                return route
        return None

    @staticmethod
    def is_blackhole(route: Route) -> bool:
        return route.state is RouteState.BLACKHOLE

    def nat(self, nat_id: str) -> NatGateway | None:
        return self.account.nat_gateways.get(nat_id)

    def nat_az(self, nat: NatGateway) -> str | None:
        subnet = self.account.subnets.get(nat.subnet_id)
        return subnet.az if subnet else None

    # ---- endpoints ---------------------------------------------------------------------
    def gateway_endpoint(self, service: str, rtb: RouteTable) -> VpcEndpoint | None:
        """An available gateway endpoint of ``service`` associated with ``rtb``."""
        for ep in self.account.vpc_endpoints.values():
            if (
                ep.type is EndpointType.GATEWAY
                and ep.service_short_name == service
                and rtb.id in ep.route_table_ids
                and ep.state.lower() == "available"
            ):
                return ep
        return None

    def interface_endpoint(self, service: str) -> VpcEndpoint | None:
        """An available interface endpoint of ``service`` in the function's VPC."""
        for ep in self.account.vpc_endpoints.values():
            if (
                ep.type is EndpointType.INTERFACE
                and ep.vpc_id == self.vpc_id
                and ep.service_short_name == service
                and ep.state.lower() == "available"
            ):
                return ep
        return None

    # ---- values for fix templates --------------------------------------------------------
    def fix_params(self) -> dict[str, object]:
        """The account's real ids, in the spellings the CLI and CloudFormation templates use."""
        subnets = list(self.subnet_ids)
        sgs = list(self.sg_ids)
        rtbs = [r.id for r in self.route_tables()]
        role = self.function.role or ""
        return {
            "function": self.name,
            "region": self.region or "{region}",
            "account_id": self.account.account_id or _arn_account(self.function.arn),
            "vpc_id": self.vpc_id or "{vpc_id}",
            "subnet_ids": " ".join(subnets),
            "subnet_ids_csv": ",".join(subnets),
            "subnet_ids_yaml": _yaml_list(subnets),
            "sg_id": sgs[0] if sgs else "{sg_id}",
            "sg_ids": " ".join(sgs),
            "sg_ids_csv": ",".join(sgs),
            "sg_ids_yaml": _yaml_list(sgs),
            "route_table_ids": " ".join(rtbs),
            "route_table_ids_yaml": _yaml_list(rtbs),
            "role_arn": role,
            "role_name": role.rsplit("/", 1)[-1] if role else "{role_name}",
        }


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _arn_account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4] else "{account_id}"


# ---- targets -------------------------------------------------------------------------------------

PRIVATE_SUFFIXES = (
    ".internal",
    ".local",
    ".test",
    ".example",
    ".invalid",
    ".localhost",
    ".home.arpa",
    ".corp",
    ".lan",
    ".intra",
)


def target_host_port(target: str) -> tuple[str, int | None]:
    """Host and explicit port of a TARGET as typed (``None`` when no port was given).

    A light parse for the checklist's own questions (is it private, is it a database port);
    the reachability engine does the full one (``graph/targets.py``).
    """
    text = target.strip()
    if "://" in text:
        from urllib.parse import urlsplit

        parts = urlsplit(text)
        return (parts.hostname or "").lower(), parts.port
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return host.lower(), int(port) if port.isdigit() else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host.lower(), int(port) if port.isdigit() else None
    return text.lower(), None


def ip_is_private(host: str) -> bool | None:
    """True / False for an IP literal, None for a name."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return is_private(ip)
