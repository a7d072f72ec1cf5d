"""Parsers of ELB target groups, listeners and target health; ElastiCache clusters, replication
groups and subnet groups; OpenSearch domains; RDS DB subnet groups."""

from __future__ import annotations

from vpcdoctor.graph.model import (
    CacheCluster,
    CacheNode,
    CacheReplicationGroup,
    CacheSubnetGroup,
    DbEndpoint,
    DbSubnetGroup,
    Listener,
    OpenSearchDomain,
    TargetGroup,
    TargetHealth,
    normalize_dns_name,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _arn_hint, _parser
from vpcdoctor.graph.sources.parse.values import (
    Item,
    _ids,
    _items,
    _port,
    _req,
    _str,
    _strs,
)

# ---- Elastic Load Balancing ------------------------------------------------------------------


@_parser("describe-target-groups")
def _target_groups(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "TargetGroups"):
        arn = _req(g, "TargetGroupArn", base)
        group = TargetGroup(
            arn=arn,
            name=_str(g, "TargetGroupName") or arn.rsplit("/", 2)[-2],
            protocol=_str(g, "Protocol"),
            port=_port(g.get("Port"), f"{base}.Port"),
            target_type=_str(g, "TargetType"),
            vpc_id=_str(g, "VpcId"),
            load_balancer_arns=_strs(g.get("LoadBalancerArns")),
        )
        b.target_groups.add(arn, group, src, base)
        _arn_hint(b, arn)


def _forward_groups(actions: object) -> tuple[str, ...]:
    """Target groups a listener's default actions forward to (one, or a weighted group)."""
    found: list[str] = []
    for action in actions if isinstance(actions, list) else ():
        if not isinstance(action, dict) or action.get("Type", "forward") != "forward":
            continue
        if isinstance(action.get("TargetGroupArn"), str):
            found.append(action["TargetGroupArn"])
        forward = action.get("ForwardConfig") or {}
        found.extend(_ids(forward.get("TargetGroups"), "TargetGroupArn"))
    return tuple(dict.fromkeys(found))


@_parser("describe-listeners")
def _listeners(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    items = list(_items(data, "Listeners"))
    if not items and owner:
        b.lbs_without_listeners.add(owner)  # describe-listeners@LB-ARN… with no listener
    for base, x in items:
        arn = _req(x, "ListenerArn", base)
        listener = Listener(
            arn=arn,
            load_balancer_arn=_req(x, "LoadBalancerArn", base),
            protocol=_str(x, "Protocol"),
            port=_port(x.get("Port"), f"{base}.Port"),
            default_target_group_arns=_forward_groups(x.get("DefaultActions")),
        )
        b.listeners.add(arn, listener, src, base)


@_parser("describe-target-health")
def _target_health(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    key = (owner, *b.view.key)
    coll = b.target_health.get(key)
    if coll is None:
        coll = b.target_health[key] = b.collection(f"target of {owner}:")
    for base, d in _items(data, "TargetHealthDescriptions"):
        target = d.get("Target") or {}
        health = d.get("TargetHealth") or {}
        port = _port(target.get("Port"), f"{base}.Target.Port")
        entry = TargetHealth(
            target_id=_req(target, "Id", f"{base}.Target"),
            port=port,
            state=_req(health, "State", f"{base}.TargetHealth"),
            reason=_str(health, "Reason"),
            availability_zone=_str(target, "AvailabilityZone"),
        )
        # By position: AWS lists a target once per registration (its own examples repeat one).
        coll.add(f"{base} {entry.target_id}:{port}", entry, src, base)


# ---- ElastiCache -----------------------------------------------------------------------------


def _endpoint(value: object, base: str) -> DbEndpoint | None:
    if not isinstance(value, dict) or not isinstance(value.get("Address"), str):
        return None
    return DbEndpoint(
        address=normalize_dns_name(value["Address"]), port=_port(value.get("Port"), f"{base}.Port")
    )


@_parser("describe-cache-clusters")
def _cache_clusters(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, c in _items(data, "CacheClusters"):
        cluster_id = _req(c, "CacheClusterId", base)
        nodes = tuple(
            CacheNode(
                id=_req(n, "CacheNodeId", f"{base}.CacheNodes[{i}]"),
                status=_str(n, "CacheNodeStatus"),
                endpoint=_endpoint(n.get("Endpoint"), f"{base}.CacheNodes[{i}].Endpoint"),
                availability_zone=_str(n, "CustomerAvailabilityZone"),
            )
            for i, n in enumerate(c.get("CacheNodes") or ())
            if isinstance(n, dict)
        )
        cluster = CacheCluster(
            id=cluster_id,
            engine=_str(c, "Engine") or "",
            status=_str(c, "CacheClusterStatus"),
            arn=_str(c, "ARN"),
            subnet_group_name=_str(c, "CacheSubnetGroupName"),
            security_group_ids=_ids(c.get("SecurityGroups"), "SecurityGroupId"),
            nodes=nodes,
            configuration_endpoint=_endpoint(
                c.get("ConfigurationEndpoint"), f"{base}.ConfigurationEndpoint"
            ),
            replication_group_id=_str(c, "ReplicationGroupId"),
        )
        b.cache_clusters.add(cluster_id, cluster, src, base)
        _arn_hint(b, cluster.arn)


@_parser("describe-replication-groups")
def _replication_groups(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "ReplicationGroups"):
        group_id = _req(g, "ReplicationGroupId", base)
        primary: list[DbEndpoint] = []
        reader: list[DbEndpoint] = []
        nodes: list[DbEndpoint] = []
        for i, ng in enumerate(g.get("NodeGroups") or ()):
            at = f"{base}.NodeGroups[{i}]"
            for key, into in (("PrimaryEndpoint", primary), ("ReaderEndpoint", reader)):
                found = _endpoint(ng.get(key), f"{at}.{key}")
                if found is not None:
                    into.append(found)
            for j, m in enumerate(ng.get("NodeGroupMembers") or ()):
                found = _endpoint(m.get("ReadEndpoint"), f"{at}.NodeGroupMembers[{j}]")
                if found is not None:
                    nodes.append(found)
        group = CacheReplicationGroup(
            id=group_id,
            status=_str(g, "Status"),
            arn=_str(g, "ARN"),
            primary_endpoints=tuple(primary),
            reader_endpoints=tuple(reader),
            node_endpoints=tuple(nodes),
            configuration_endpoint=_endpoint(
                g.get("ConfigurationEndpoint"), f"{base}.ConfigurationEndpoint"
            ),
            member_cluster_ids=_strs(g.get("MemberClusters")),
        )
        b.cache_replication_groups.add(group_id, group, src, base)


@_parser("describe-cache-subnet-groups")
def _cache_subnet_groups(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "CacheSubnetGroups"):
        name = _req(g, "CacheSubnetGroupName", base)
        group = CacheSubnetGroup(
            name=name,
            vpc_id=_str(g, "VpcId"),
            subnet_ids=_ids(g.get("Subnets"), "SubnetIdentifier"),
            arn=_str(g, "ARN"),
        )
        b.cache_subnet_groups.add(name, group, src, base)


# ---- OpenSearch ------------------------------------------------------------------------------


@_parser("list-domain-names")
def _domain_names(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DomainNames"):
        b.domain_names.add(_req(d, "DomainName", base))


@_parser("describe-domains")
def _domains(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DomainStatusList"):
        name = _req(d, "DomainName", base)
        vpc = d.get("VPCOptions")
        vpc = vpc if isinstance(vpc, dict) else {}
        endpoints = d.get("Endpoints")
        hosts = (
            [v for v in endpoints.values() if isinstance(v, str)]
            if isinstance(endpoints, dict)
            else []
        )
        if not hosts and isinstance(d.get("Endpoint"), str):
            hosts = [d["Endpoint"]]
        status = "active"
        if d.get("Deleted"):
            status = "deleted"
        elif d.get("Processing") or d.get("UpgradeProcessing"):
            status = "processing"
        domain = OpenSearchDomain(
            name=name,
            id=_str(d, "DomainId"),
            arn=_str(d, "ARN"),
            endpoints=tuple(normalize_dns_name(h) for h in hosts),
            vpc_id=_str(vpc, "VPCId"),
            subnet_ids=_strs(vpc.get("SubnetIds")),
            security_group_ids=_strs(vpc.get("SecurityGroupIds")),
            status=status,
            engine_version=_str(d, "EngineVersion") or _str(d, "ElasticsearchVersion"),
        )
        b.opensearch_domains.add(name, domain, src, base)
        _arn_hint(b, domain.arn)


# ---- RDS subnet groups -----------------------------------------------------------------------


@_parser("describe-db-subnet-groups")
def _db_subnet_groups(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "DBSubnetGroups"):
        name = _req(g, "DBSubnetGroupName", base)
        group = DbSubnetGroup(
            name=name,
            vpc_id=_str(g, "VpcId"),
            subnet_ids=_ids(g.get("Subnets"), "SubnetIdentifier"),
            status=_str(g, "SubnetGroupStatus"),
        )
        b.db_subnet_groups.add(name, group, src, base)
