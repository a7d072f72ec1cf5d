"""The builder's second half: resources that several outputs describe, combined once all are read
(a prefix list and its entries, a TGW route table and its routes, propagations and associations,
a Lambda function from three outputs, a zone and its records, a load balancer and its listeners,
a target group and its health, a cache or database and its subnet group)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from vpcdoctor.graph.model import (
    CacheCluster,
    DbCluster,
    Gap,
    HostedZone,
    LambdaFunction,
    LoadBalancer,
    Origin,
    PrefixList,
    ResolverEndpoint,
    TargetGroup,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
)
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.batfish import target_group_owner
from vpcdoctor.graph.sources.parse.merge import Conflict, arn_parts

if TYPE_CHECKING:
    from vpcdoctor.graph.sources.parse.builder import AccountBuilder


def prefix_lists(b: AccountBuilder) -> dict[str, PrefixList]:
    result: dict[str, PrefixList] = {}
    for pl_id in {*b.managed_pls.items, *b.aws_pls.items, *b.pl_entries}:
        managed = b.managed_pls.get(pl_id)
        aws = b.aws_pls.get(pl_id)
        base = managed or aws or PrefixList(id=pl_id)
        if managed is not None and aws is not None:
            base = replace(managed, aws_managed=True, name=managed.name or aws.name)
        entries = base.entries if aws is None else aws.entries
        if pl_id in b.pl_entries:
            from_file = tuple(b.pl_entries[pl_id].items.values())
            if entries is not None and set(entries) != set(from_file) and aws is not None:
                source, path = b.pl_entries[pl_id].where[next(iter(b.pl_entries[pl_id].where))]
                other, other_path = b.aws_pls.where[pl_id]
                raise Conflict(
                    f"entries of prefix list {pl_id} differ from its Cidrs in {other} at "
                    f"{other_path}; export both again at the same time",
                    source=source,
                    json_path=path,
                )
            entries = from_file
        result[pl_id] = replace(base, entries=entries)
    return result


def tgw_attachments(b: AccountBuilder) -> dict[str, TransitGatewayAttachment]:
    result = dict(b.tgw_attachments.items)
    for att_id, vpc_att in b.tgw_vpc_attachments.items.items():
        att = result.get(att_id)
        if att is None:
            result[att_id] = vpc_att
        else:
            result[att_id] = replace(
                att,
                subnet_ids=vpc_att.subnet_ids,
                resource_id=att.resource_id or vpc_att.resource_id,
            )
    return result


def tgw_route_tables(
    b: AccountBuilder, attachments: Mapping[str, TransitGatewayAttachment]
) -> dict[str, TransitGatewayRouteTable]:
    result = dict(b.tgw_rtbs.items)
    per_table = (
        ("routes", b.tgw_routes),
        ("static_routes", b.tgw_static_routes),
        ("propagations", b.tgw_propagations),
        ("associations", b.tgw_associations),
    )
    for field, colls in per_table:
        for rtb_id, coll in colls.items():
            values: tuple[Any, ...] = tuple(coll.items.values())
            table = result.get(rtb_id)
            if table is None:
                tgw_id = next(
                    (
                        a.transit_gateway_id
                        for a in attachments.values()
                        if a.association_route_table_id == rtb_id
                    ),
                    None,
                )
                if tgw_id is None:
                    for src in {s for s, _ in coll.where.values()}:
                        b.note(
                            src,
                            f"transit gateway route table {rtb_id} is not in the snapshot "
                            "(export describe-transit-gateway-route-tables)",
                        )
                    continue
                table = TransitGatewayRouteTable(id=rtb_id, transit_gateway_id=tgw_id)
            result[rtb_id] = replace(table, **{field: values})  # type: ignore[arg-type]
    for rtb_id, table in result.items():
        if table.static_routes is None and table.routes is not None:
            static = tuple(r for r in table.routes if r.route_type == "static")
            result[rtb_id] = replace(table, static_routes=static)
    return result


def _unqualified(arn: str) -> str:
    """``arn:aws:lambda:r:a:function:name[:qualifier]`` without the qualifier."""
    return ":".join(arn.split(":")[:7])


def functions(b: AccountBuilder) -> tuple[dict[str, LambdaFunction], dict[str, Origin]]:
    """Functions keyed by name; by ARN when several accounts or Regions use the same name.

    A per-function output named by a function *name* (``get-function-concurrency@fn.json``)
    goes to the function of that name in the output's own account and Region when the name is
    ambiguous; named by an ARN, to that function.
    """
    merged_by_key: dict[str, dict[str, Any]] = {}
    for key, ranks in b.function_parts.items():
        merged: dict[str, Any] = {}
        for rank in sorted(ranks):
            for fields in ranks[rank].items.values():
                merged.update(fields)
        if "arn" not in merged:
            source, path = b.function_sources[key][0]
            raise Conflict(
                f"FunctionArn of {merged.get('name', key)} is missing; every Lambda output has it",
                source=source,
                json_path=path,
            )
        merged_by_key[key] = merged
    names: dict[str, list[str]] = {}
    for key, merged in merged_by_key.items():
        names.setdefault(merged["name"], []).append(key)
    result: dict[str, LambdaFunction] = {}
    origins: dict[str, Origin] = {}
    concurrency, provisioned_by = _by_owner(b.concurrency), _by_owner(b.provisioned)
    for key, merged in merged_by_key.items():
        name = merged["name"]
        unique = len(names[name]) == 1
        final_key = name if unique else _unqualified(merged["arn"])
        account, region = arn_parts(merged["arn"])
        reserved = _per_function(concurrency, name, merged["arn"], account, region, unique)
        if reserved is not None:
            merged["reserved_concurrency"] = reserved.items[next(iter(reserved.items))][0]
            merged["concurrency_known"] = True
        provisioned = _per_function(provisioned_by, name, merged["arn"], account, region, unique)
        if provisioned is not None:
            merged["provisioned"] = tuple(provisioned.items.values())
        result[final_key] = LambdaFunction(**merged)
        view = b.function_views.get(key, (None, None))
        origins[final_key] = b.view.origin(account or view[0], region or view[1])
    used = {n for n in names}
    for (name, _acct, _region), srcs in b.per_function_sources.items():
        bare = name.split(":")[6] if name.startswith("arn:") and name.count(":") >= 6 else name
        if bare not in used:
            for src in srcs:
                b.note(src, f"function {bare} is not in the snapshot (export list-functions)")
    return result, origins


def _per_function(
    by_owner: Mapping[str, list[tuple[str | None, str | None, Any]]],
    name: str,
    arn: str,
    account: str | None,
    region: str | None,
    unique: bool,
) -> Any:
    """The per-function output (concurrency, provisioned) that belongs to this function:
    named by its ARN, or by its name (in its own account and Region when the name is shared)."""
    for _, _, value in by_owner.get(_unqualified(arn), ()):
        return value
    for o_account, o_region, value in by_owner.get(name, ()):
        if unique or (o_account in (None, account) and o_region in (None, region)):
            return value
    return None


def _by_owner(
    outputs: Mapping[tuple[str, str | None, str | None], Any],
) -> dict[str, list[tuple[str | None, str | None, Any]]]:
    index: dict[str, list[tuple[str | None, str | None, Any]]] = {}
    for (owner, o_account, o_region), value in outputs.items():
        key = _unqualified(owner) if owner.startswith("arn:") else owner
        index.setdefault(key, []).append((o_account, o_region, value))
    return index


def zones(b: AccountBuilder) -> dict[str, HostedZone]:
    result: dict[str, HostedZone] = {}
    for zone_id in {*b.zones_listed.items, *b.zones_got.items}:
        listed = b.zones_listed.get(zone_id)
        got = b.zones_got.get(zone_id)
        zone = got or listed
        assert zone is not None
        if listed is not None and got is not None:
            zone = replace(
                got,
                record_count=got.record_count or listed.record_count,
                comment=got.comment or listed.comment,
            )
        records = b.zone_records.get(zone_id)
        if records is not None:
            zone = replace(zone, records=tuple(records.items.values()))
        result[zone_id] = zone
    for zone_id, srcs in b.per_zone_sources.items():
        if zone_id not in result:
            for src in srcs:
                b.note(
                    src,
                    f"hosted zone {zone_id} is not in the snapshot (export list-hosted-zones "
                    "and get-hosted-zone)",
                )
    return result


def load_balancers(b: AccountBuilder) -> dict[str, LoadBalancer]:
    """Load balancers with their listeners (None when describe-listeners was not exported for
    the load balancer: the files name each listener's LoadBalancerArn)."""
    by_lb: dict[str, list[Any]] = {}
    for listener in b.listeners.items.values():
        by_lb.setdefault(listener.load_balancer_arn, []).append(listener)
    result = dict(b.load_balancers.items)
    for arn, found in by_lb.items():
        lb = result.get(arn)
        if lb is None:
            for src in {b.listeners.where[x.arn][0] for x in found}:
                b.note(src, f"load balancer {arn} is not in the snapshot (export it)")
            continue
        result[arn] = replace(lb, listeners=tuple(sorted(found, key=lambda x: x.port or 0)))
    # describe-listeners@NAME.ID (or @ARN) with no listener: known to have none.
    by_owner = {".".join(arn.split("/")[-2:]): arn for arn in result}
    for owner in b.lbs_without_listeners:
        arn = owner if owner in result else by_owner.get(owner, "")
        if arn in result and result[arn].listeners is None:
            result[arn] = replace(result[arn], listeners=())
    return result


def target_groups(b: AccountBuilder) -> dict[str, TargetGroup]:
    """Target groups with their health: ``describe-target-health@NAME.ID`` (or ``@NAME``)."""
    result = dict(b.target_groups.items)
    by_name: dict[str, list[str]] = {}
    for arn, tg in result.items():
        by_name.setdefault(tg.name, []).append(arn)
    for (owner, o_account, o_region), coll in b.target_health.items():
        found = _target_group_arn(owner, result, by_name, o_account, o_region)
        if found is None:
            for src in {s for s, _ in coll.where.values()}:
                b.note(
                    src,
                    f"target group {owner} is not in the snapshot, or its name is ambiguous "
                    "(export describe-target-groups; name the file @NAME.ID of the group's ARN)",
                )
            continue
        result[found] = replace(result[found], health=tuple(coll.items.values()))
    return result


def _target_group_arn(
    owner: str,
    groups: Mapping[str, TargetGroup],
    by_name: Mapping[str, list[str]],
    account: str | None,
    region: str | None,
) -> str | None:
    if owner.startswith("arn:"):
        return owner if owner in groups else None
    if "." in owner:
        matches = [arn for arn in groups if target_group_owner(arn) == owner]
    else:
        matches = list(by_name.get(owner, ()))
    if len(matches) > 1:
        matches = [
            arn
            for arn in matches
            if arn_parts(arn)[0] in (None, account) and arn_parts(arn)[1] in (None, region)
        ]
    return matches[0] if len(matches) == 1 else None


def cache_clusters(b: AccountBuilder) -> dict[str, CacheCluster]:
    """Cache clusters with the subnets and VPC of their subnet group."""
    result = dict(b.cache_clusters.items)
    for cid, cluster in result.items():
        group = b.cache_subnet_groups.get(cluster.subnet_group_name or "")
        if group is not None:
            result[cid] = replace(cluster, subnet_ids=group.subnet_ids, vpc_id=group.vpc_id)
    return result


def db_clusters(b: AccountBuilder) -> dict[str, DbCluster]:
    """Aurora clusters with the subnets and VPC of their DB subnet group."""
    result = dict(b.db_clusters.items)
    for cid, cluster in result.items():
        group = b.db_subnet_groups.get(cluster.subnet_group_name or "")
        if group is not None:
            result[cid] = replace(cluster, subnet_ids=group.subnet_ids, vpc_id=group.vpc_id)
    return result


def missing(
    b: AccountBuilder,
    prefix_lists: Mapping[str, PrefixList],
    tgw_rtbs: Mapping[str, TransitGatewayRouteTable],
    zones: Mapping[str, HostedZone],
    endpoints: Mapping[str, ResolverEndpoint],
    target_groups: Mapping[str, TargetGroup],
    known: list[Gap],
) -> list[Gap]:
    """Per-resource outputs the snapshot lacks for resources it references."""
    have = {(g.kind, g.owner) for g in known}
    wanted: list[tuple[str, str]] = []
    referenced: set[str] = set()
    for rtb in b.route_tables.items.values():
        referenced.update(r.prefix_list_id for r in rtb.routes if r.prefix_list_id)
    for sg_id in b.sgs.items:
        sg = b.sgs.items[sg_id]
        referenced.update(r.prefix_list_id for r in (*sg.ingress, *sg.egress) if r.prefix_list_id)
    for pl_id in sorted(referenced):
        pl = prefix_lists.get(pl_id)
        if pl is None or pl.entries is None:
            wanted.append(("get-managed-prefix-list-entries", pl_id))
    for trt_id, trt in sorted(tgw_rtbs.items()):
        if trt.routes is None:
            wanted.append(("search-transit-gateway-routes", trt_id))
            if trt.propagations is None:
                wanted.append(("get-transit-gateway-route-table-propagations", trt_id))
            if trt.associations is None:
                wanted.append(("get-transit-gateway-route-table-associations", trt_id))
    for zone_id, zone in sorted(zones.items()):
        if zone.private and zone.records is None:
            wanted.append(("list-resource-record-sets", zone_id))
        if zone.private and zone.vpcs is None:
            wanted.append(("get-hosted-zone", zone_id))
    for endpoint_id, endpoint in sorted(endpoints.items()):
        if endpoint.ip_addresses is None:
            wanted.append(("list-resolver-endpoint-ip-addresses", endpoint_id))
    for arn, group in sorted(target_groups.items()):
        if group.health is None and group.load_balancer_arns:
            wanted.append(("describe-target-health", target_group_owner(arn)))
    for name in sorted(b.domain_names - set(b.opensearch_domains.items)):
        wanted.append(("describe-domains", name))
    return [
        Gap(kind=k, reason="not exported", iam_action=KINDS_BY_NAME[k].iam_action, owner=o)
        for k, o in wanted
        if (k, o) not in have
    ]
