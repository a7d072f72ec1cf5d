"""Batfish's AWS snapshot files, read as they are.

Batfish (``batfish/batfish``: ``representation/aws/Region.java``) reads a folder
``aws_configs/`` — flat, per Region (``aws_configs/<region>/``) or per account and Region
(``aws_configs/<account>/<region>/``, also under ``accounts/``) — of AWS CLI outputs named by
their top-level key (``Vpcs.json``, ``Subnets.json``…). vpcdoctor recognises those by their keys
like any other output, and the folders name the account and Region
(:mod:`vpcdoctor.graph.sources.files`).

A few of its files are not CLI outputs but wrap several of them, each item naming the resource
the wrapped call was made for; :func:`unwrap` turns each item into the output of that call:

=================================  ==========================================================
``TransitGatewayPropagations``     ``[{TransitGatewayRouteTableId, TransitGatewayRouteTable-
                                   Propagations}]`` → get-transit-gateway-route-table-
                                   propagations ``@`` the route table
``TransitGatewayStaticRoutes``     ``[{TransitGatewayRouteTableId, Routes}]`` → the static
                                   routes of search-transit-gateway-routes ``@`` the table
``LoadBalancerListeners``          ``[{LoadBalancerArn, Listeners}]`` (or bare listeners) →
                                   elbv2 describe-listeners
``LoadBalancerTargetHealth``       ``[{TargetGroupArn, TargetHealthDescriptions}]`` → elbv2
                                   describe-target-health ``@`` the target group
=================================  ==========================================================

Batfish files vpcdoctor does not read (:data:`NOT_READ`) are listed as not used, saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WRAPPER_KEYS = (
    "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes",
    "LoadBalancerListeners",
    "LoadBalancerTargetHealth",
)

NOT_READ: Mapping[str, str] = {
    "LoadBalancerAttributes": "load balancer attributes (cross-zone, deletion protection…)",
    "CustomerGateways": "customer gateways (the on-premises side of a VPN)",
    "DirectConnectGateways": "Direct Connect gateways",
    "DirectConnectGatewayAssociations": "Direct Connect gateway associations",
    "VirtualInterfaces": "Direct Connect virtual interfaces",
    "InstanceStatuses": "instance status checks",
    "PlacementGroups": "placement groups",
    "Regions": "the list of Regions",
    "ServiceNames": "VPC endpoint service names",
}
"""Top-level keys of Batfish files that vpcdoctor does not use, and what they hold."""


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """One wrapped output: its kind, the resource it was called for, the output itself."""

    kind: str
    owner: str | None
    data: dict[str, Any]
    json_path: str
    """Where the item sits in the wrapper file (error messages name it)."""


class NotAWrapper(Exception):
    """The file has a wrapper's key but an item is not what Batfish writes (``json_path``)."""

    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(message)
        self.json_path = json_path
        self.message = message


def is_wrapper(data: Mapping[str, Any]) -> bool:
    return len(data) == 1 and next(iter(data)) in WRAPPER_KEYS


def not_read(data: Mapping[str, Any]) -> str | None:
    """Why a Batfish file is not used (None: it is not one of those)."""
    keys = [k for k in data if k in NOT_READ]
    if not keys or len(keys) != len(data):
        return None
    return (
        "not used: Batfish's "
        + ", ".join(f"{k} ({NOT_READ[k]})" for k in keys)
        + (", which vpcdoctor does not read")
    )


def target_group_owner(arn: str) -> str:
    """The ``@`` part of a describe-target-health file: ``NAME.ID`` of the group's ARN
    (``…:targetgroup/web/73e2d6bc24d8a067`` → ``web.73e2d6bc24d8a067``)."""
    return arn.split(":targetgroup/", 1)[-1].replace("/", ".")


def _text(item: Mapping[str, Any], key: str, at: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise NotAWrapper(
            f"{at}.{key}", f"{key} is missing; every item of this Batfish file has it"
        )
    return value


def unwrap(data: Mapping[str, Any]) -> list[Unwrapped]:
    """The outputs a Batfish wrapper file holds (``is_wrapper(data)`` is true)."""
    key = next(iter(data))
    items = data[key]
    if not isinstance(items, list):
        raise NotAWrapper(key, f"{key} must be a list, as Batfish writes it")
    out: list[Unwrapped] = []
    if key == "LoadBalancerListeners" and all(
        isinstance(i, dict) and "ListenerArn" in i for i in items
    ):
        # Older Batfish snapshots list the listeners themselves.
        return [Unwrapped("describe-listeners", None, {"Listeners": list(items)}, key)]
    for index, item in enumerate(items):
        at = f"{key}[{index}]"
        if not isinstance(item, dict):
            raise NotAWrapper(at, "each item must be an object, as Batfish writes it")
        if key == "TransitGatewayPropagations":
            owner = _text(item, "TransitGatewayRouteTableId", at)
            inner = {
                "TransitGatewayRouteTablePropagations": item.get(
                    "TransitGatewayRouteTablePropagations"
                )
                or []
            }
            out.append(Unwrapped("get-transit-gateway-route-table-propagations", owner, inner, at))
        elif key == "TransitGatewayStaticRoutes":
            owner = _text(item, "TransitGatewayRouteTableId", at)
            inner = {"Routes": item.get("Routes") or []}
            if "AdditionalRoutesAvailable" in item:
                inner["AdditionalRoutesAvailable"] = item["AdditionalRoutesAvailable"]
            out.append(Unwrapped("search-transit-gateway-routes-static", owner, inner, at))
        elif key == "LoadBalancerListeners":
            _text(item, "LoadBalancerArn", at)
            inner = {"Listeners": item.get("Listeners") or []}
            out.append(Unwrapped("describe-listeners", item["LoadBalancerArn"], inner, at))
        else:  # LoadBalancerTargetHealth
            owner = target_group_owner(_text(item, "TargetGroupArn", at))
            inner = {"TargetHealthDescriptions": item.get("TargetHealthDescriptions") or []}
            out.append(Unwrapped("describe-target-health", owner, inner, at))
    return out
