"""Named resources (knowledge-facts R12): which resource of the account a DNS name belongs to.

A name that is an endpoint of a resource in the account — an RDS instance, an Aurora cluster's
writer or reader endpoint, an RDS Proxy, a load balancer, an interface endpoint's own name, an
ElastiCache node / cluster / replication group endpoint, an OpenSearch domain — answers, from
inside the VPC, with that resource's private addresses: the addresses of its network interfaces
(describe-network-interfaces, matched the way AWS labels them: ``Description``, ``RequesterId``,
``InterfaceType``), or, when the snapshot holds none, somewhere in its subnets. Its security
groups decide the ingress. :func:`named_resource` answers the question; the DNS simulation
(:mod:`vpcdoctor.diagnostics.dns.simulate`) shows the answer and the engine
(:mod:`vpcdoctor.graph.engine.destinations`) traces to every address of it.

How AWS labels the interfaces it creates for a resource (as describe-network-interfaces prints
them): an RDS DB instance ``RDSNetworkInterface`` (``RequesterId`` ``amazon-rds``), an RDS Proxy
``Network interface for DBProxy <name>``, a load balancer ``ELB app/<name>/<id>`` or ``ELB
net/<name>/<id>`` (an NLB's with ``InterfaceType`` ``network_load_balancer``), an ElastiCache
cluster ``ElastiCache <cluster id>`` (``amazon-elasticache``), an OpenSearch domain ``ES
<domain name>`` (``amazon-elasticsearch``), an interface endpoint ``VPC Endpoint Interface
vpce-…`` (listed by the endpoint itself). Descriptions alone cannot tell two DB instances apart
(all are ``RDSNetworkInterface``): the instance's subnets, security groups and Availability Zone
narrow the candidates, and every candidate left is an address the name may answer with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vpcdoctor.graph.model.account import Account
from vpcdoctor.graph.model.compute import (
    DbCluster,
    DbInstance,
    Listener,
    LoadBalancer,
    NetworkInterface,
)
from vpcdoctor.graph.model.dns import normalize_dns_name
from vpcdoctor.graph.model.named_enis import (
    PROXY_DESCRIPTION,
    RDS_DESCRIPTION,
    described,
    instance_enis,
    narrowed,
    rds_enis,
    requested_by,
)
from vpcdoctor.graph.model.services import OpenSearchDomain
from vpcdoctor.graph.model.verdict import HopKind

_CACHE_REQUESTERS = frozenset({"amazon-elasticache"})
_SEARCH_REQUESTERS = frozenset({"amazon-elasticsearch", "amazon-opensearch"})


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedResource:
    """The resource a DNS name is an endpoint of, with the addresses it answers from."""

    kind: str
    """``db-instance``, ``db-cluster``, ``db-proxy``, ``load-balancer``, ``vpc-endpoint``,
    ``cache-cluster``, ``replication-group``, ``opensearch-domain``."""
    hop_kind: HopKind
    """The hop kind that shows it: ``database``, ``load-balancer``, ``vpc-endpoint``, ``cache``,
    ``search-domain``."""
    resource: str
    """Its id as AWS prints it (DB identifier, proxy name, load balancer ARN, vpce id…)."""
    label: str
    """``RDS Proxy orders-db-proxy``, ``Aurora cluster orders-db (reader endpoint)``…"""
    name: str
    """The DNS name that matched."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    enis: tuple[NetworkInterface, ...] = ()
    """Its network interfaces in the snapshot (the addresses the name answers with)."""
    matched_by: str = ""
    """How the interfaces were recognised (shown as evidence)."""
    internal: bool = True
    """False for an internet-facing load balancer (its name answers with public addresses)."""
    status: str | None = None
    available: bool | None = True
    """False when the resource is not in a state that accepts connections (None: not known)."""
    listeners: tuple[Listener, ...] | None = None
    """A load balancer's listeners (None: not exported; only load balancers have them)."""
    port: int | None = None
    """The port the resource's own record names (a database's endpoint port)."""
    public: bool = False
    """True for a publicly accessible DB instance: outside the VPCs that reach it, its name
    answers with a public address (which the snapshot does not hold)."""

    @property
    def filters(self) -> bool:
        """False for a Network Load Balancer without security groups: it does not filter."""
        return bool(self.security_group_ids) or self.kind != "load-balancer"

    @property
    def addresses(self) -> tuple[str, ...]:
        """Private addresses of its interfaces (IPv4 first, then IPv6), each once."""
        out: list[str] = []
        for eni in self.enis:
            out.extend(str(ip) for ip in eni.private_ips)
        for eni in self.enis:
            out.extend(str(ip) for ip in eni.ipv6_addresses)
        return tuple(dict.fromkeys(out))


def named_resource(account: Account, name: str) -> NamedResource | None:
    """The resource of ``account`` whose endpoint ``name`` is, or None."""
    host = normalize_dns_name(name)
    if host.startswith("dualstack."):
        host = host[len("dualstack.") :]
    for finder in _FINDERS:
        found = finder(account, host)
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------------------------
# One finder per kind of resource
# --------------------------------------------------------------------------------------------


def _db_instance(account: Account, host: str) -> NamedResource | None:
    for inst in account.db_instances.values():
        if inst.endpoint is None or inst.endpoint.address != host:
            continue
        return NamedResource(
            kind="db-instance",
            hop_kind=HopKind.DATABASE,
            resource=inst.id,
            label=f"DB instance {inst.id}",
            name=host,
            vpc_id=inst.vpc_id,
            subnet_ids=inst.subnet_ids,
            security_group_ids=inst.security_group_ids,
            enis=tuple(instance_enis(account, inst)),
            matched_by=f"Description={RDS_DESCRIPTION} in its subnets with its groups"
            + (f" in {inst.availability_zone}" if inst.availability_zone else ""),
            status=inst.status,
            available=_db_available(inst.status),
            port=inst.endpoint.port,
            public=inst.publicly_accessible,
        )
    return None


def _db_available(status: str | None) -> bool | None:
    if status is None:
        return None
    # Connections work while RDS modifies, backs up or maintains the database.
    return status in (
        "available",
        "backing-up",
        "modifying",
        "maintenance",
        "configuring-enhanced-monitoring",
        "configuring-log-exports",
        "storage-optimization",
        "upgrading",
        "renaming",
    )


def _db_cluster(account: Account, host: str) -> NamedResource | None:
    for cluster in account.db_clusters.values():
        for endpoint, role in ((cluster.endpoint, "writer"), (cluster.reader_endpoint, "reader")):
            if endpoint is None or endpoint.address != host:
                continue
            return _cluster_resource(account, cluster, role, host, endpoint.port)
    return None


def _cluster_resource(
    account: Account, cluster: DbCluster, role: str, host: str, port: int | None
) -> NamedResource:
    writers = [m for m in cluster.writer_ids if m in cluster.member_ids] or list(cluster.writer_ids)
    readers = [m for m in cluster.member_ids if m not in writers]
    # The reader endpoint balances over the replicas; a cluster without one answers with the
    # writer (Aurora-Connecting.html, "Reader endpoint").
    members = writers if role == "writer" else (readers or writers)
    instances = [account.db_instances[m] for m in members if m in account.db_instances]
    enis: list[NetworkInterface] = []
    if instances and len(instances) == len(members):
        for inst in instances:
            enis.extend(e for e in instance_enis(account, inst) if e not in enis)
        how = "its members' RDSNetworkInterface interfaces (" + ", ".join(members) + ")"
    else:
        enis = narrowed(
            rds_enis(account, proxies=False),
            vpc_id=cluster.vpc_id,
            subnets=cluster.subnet_ids,
            groups=cluster.security_group_ids,
        )
        how = f"Description={RDS_DESCRIPTION} in its subnets with its groups"
    subnets = cluster.subnet_ids or tuple(dict.fromkeys(s for i in instances for s in i.subnet_ids))
    return NamedResource(
        kind="db-cluster",
        hop_kind=HopKind.DATABASE,
        resource=cluster.id,
        label=f"DB cluster {cluster.id} ({role} endpoint)",
        name=host,
        vpc_id=cluster.vpc_id or next((i.vpc_id for i in instances if i.vpc_id), None),
        subnet_ids=subnets,
        security_group_ids=cluster.security_group_ids,
        enis=tuple(enis),
        matched_by=how,
        status=cluster.status,
        available=_db_available(cluster.status),
        port=port,
    )


def _db_proxy(account: Account, host: str) -> NamedResource | None:
    for proxy in account.db_proxies.values():
        if proxy.endpoint != host:
            continue
        description = PROXY_DESCRIPTION + proxy.name
        enis = described(account, description)
        how = f"Description='{description}'"
        if not enis:
            # Some exports (and older proxies) label them like a DB instance's.
            enis = narrowed(
                rds_enis(account, proxies=True),
                vpc_id=proxy.vpc_id,
                subnets=proxy.subnet_ids,
                groups=proxy.security_group_ids,
            )
            how = "RDS interfaces in its subnets with exactly its groups"
        return NamedResource(
            kind="db-proxy",
            hop_kind=HopKind.DATABASE,
            resource=proxy.name,
            label=f"RDS Proxy {proxy.name}",
            name=host,
            vpc_id=proxy.vpc_id,
            subnet_ids=proxy.subnet_ids,
            security_group_ids=proxy.security_group_ids,
            enis=tuple(enis),
            matched_by=how,
            status=proxy.status,
            available=None if proxy.status is None else proxy.status == "available",
        )
    return None


def load_balancer_description(lb: LoadBalancer) -> str:
    """``ELB app/<name>/<id>``: how AWS describes a load balancer's interfaces."""
    return "ELB " + lb.arn.split(":loadbalancer/", 1)[-1]


def _load_balancer(account: Account, host: str) -> NamedResource | None:
    for lb in account.load_balancers.values():
        if normalize_dns_name(lb.dns_name) != host:
            continue
        description = load_balancer_description(lb)
        enis = described(account, description)
        return NamedResource(
            kind="load-balancer",
            hop_kind=HopKind.LOAD_BALANCER,
            resource=lb.arn,
            label=f"{lb.scheme} {lb.type} load balancer {lb.name}",
            name=host,
            vpc_id=lb.vpc_id,
            subnet_ids=lb.subnet_ids,
            security_group_ids=lb.security_group_ids,
            enis=tuple(enis),
            matched_by=f"Description='{description}'",
            internal=lb.scheme == "internal",
            status=lb.state,
            available=None if lb.state is None else lb.state in ("active", "active_impaired"),
            listeners=lb.listeners,
        )
    return None


def _vpc_endpoint(account: Account, host: str) -> NamedResource | None:
    for vpce in account.vpc_endpoints.values():
        names = [normalize_dns_name(d.dns_name) for d in vpce.dns_entries]
        if not any(n.endswith(".vpce.amazonaws.com") and n == host for n in names):
            continue
        enis = tuple(
            account.network_interfaces[i]
            for i in vpce.network_interface_ids
            if i in account.network_interfaces
        )
        return NamedResource(
            kind="vpc-endpoint",
            hop_kind=HopKind.VPC_ENDPOINT,
            resource=vpce.id,
            label=f"interface endpoint {vpce.id} ({vpce.service_short_name})",
            name=host,
            vpc_id=vpce.vpc_id,
            subnet_ids=vpce.subnet_ids,
            security_group_ids=vpce.security_group_ids,
            enis=enis,
            matched_by="its NetworkInterfaceIds",
            status=vpce.state,
            available=vpce.state.lower() == "available",
        )
    return None


def _cache(account: Account, host: str) -> NamedResource | None:
    clusters: list[str] = []
    what = ""
    for cluster in account.cache_clusters.values():
        ends = [n.endpoint for n in cluster.nodes] + [cluster.configuration_endpoint]
        if any(e is not None and e.address == host for e in ends):
            clusters, what = [cluster.id], f"ElastiCache cluster {cluster.id}"
            break
    if not clusters:
        for group in account.cache_replication_groups.values():
            ends = [
                *group.primary_endpoints,
                *group.reader_endpoints,
                *group.node_endpoints,
                group.configuration_endpoint,
            ]
            if any(e is not None and e.address == host for e in ends):
                # Which member a group endpoint names moves with failovers: every member.
                clusters = list(group.member_cluster_ids)
                what = f"ElastiCache replication group {group.id}"
                break
    if not clusters:
        return None
    members = [account.cache_clusters[c] for c in clusters if c in account.cache_clusters]
    subnets = tuple(dict.fromkeys(s for m in members for s in (m.subnet_ids or ())))
    groups = tuple(dict.fromkeys(g for m in members for g in m.security_group_ids))
    descriptions = {f"ElastiCache {c}" for c in clusters}
    enis = described(account, *sorted(descriptions))
    how = "Description='ElastiCache <cluster id>'"
    if not enis:
        enis = narrowed(
            requested_by(account, _CACHE_REQUESTERS),
            vpc_id=next((m.vpc_id for m in members if m.vpc_id), None),
            subnets=subnets,
            groups=groups,
        )
        how = "RequesterId=amazon-elasticache in its subnets with its groups"
    statuses = {m.status for m in members}
    return NamedResource(
        kind="cache-cluster" if what.startswith("ElastiCache cluster") else "replication-group",
        hop_kind=HopKind.CACHE,
        resource=what.rsplit(" ", 1)[-1],
        label=what,
        name=host,
        vpc_id=next((m.vpc_id for m in members if m.vpc_id), None),
        subnet_ids=subnets,
        security_group_ids=groups,
        enis=tuple(enis),
        matched_by=how,
        status=", ".join(sorted(s for s in statuses if s)) or None,
        available=None if not members or None in statuses else statuses <= {"available"},
    )


def _opensearch(account: Account, host: str) -> NamedResource | None:
    for domain in account.opensearch_domains.values():
        if host not in domain.endpoints or domain.vpc_id is None:
            continue
        description = f"ES {domain.name}"
        enis = described(account, description)
        how = f"Description='{description}'"
        if not enis:
            enis = narrowed(
                requested_by(account, _SEARCH_REQUESTERS),
                vpc_id=domain.vpc_id,
                subnets=domain.subnet_ids,
                groups=domain.security_group_ids,
            )
            how = "RequesterId=amazon-elasticsearch in its subnets with its groups"
        return NamedResource(
            kind="opensearch-domain",
            hop_kind=HopKind.SEARCH_DOMAIN,
            resource=domain.name,
            label=f"OpenSearch domain {domain.name}",
            name=host,
            vpc_id=domain.vpc_id,
            subnet_ids=domain.subnet_ids,
            security_group_ids=domain.security_group_ids,
            enis=tuple(enis),
            matched_by=how,
            status=domain.status,
            available=domain.status != "deleted",
        )
    return None


_FINDERS: tuple[Callable[[Account, str], NamedResource | None], ...] = (
    _db_instance,
    _db_cluster,
    _db_proxy,
    _load_balancer,
    _vpc_endpoint,
    _cache,
    _opensearch,
)


_FAMILIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        ".rds.amazonaws.com",
        "RDS database or proxy",
        ("describe-db-instances", "describe-db-clusters", "describe-db-proxies"),
    ),
    (
        ".cache.amazonaws.com",
        "ElastiCache cluster",
        ("describe-cache-clusters", "describe-replication-groups"),
    ),
    (".es.amazonaws.com", "OpenSearch domain", ("describe-domains",)),
    (".elb.amazonaws.com", "load balancer", ("describe-load-balancers",)),
    (".vpce.amazonaws.com", "VPC endpoint", ("describe-vpc-endpoints",)),
)


def resource_family(name: str) -> tuple[str, tuple[str, ...]] | None:
    """``(what, kinds)`` when ``name`` is shaped like an endpoint of a VPC resource (an RDS, an
    ElastiCache, an OpenSearch, a load balancer or an endpoint name), whatever account holds
    it: such a name answers with private addresses inside the VPCs that reach it, so what
    public DNS says about it never makes it an internet destination. ``kinds``: the outputs
    that would identify it."""
    host = normalize_dns_name(name)
    labels = host.split(".")
    if len(labels) > 4 and labels[-4] == "elb":  # an NLB's <name>-<id>.elb.<region>.amazonaws.com
        host = ".".join((*labels[:-4], labels[-3], "elb", "amazonaws", "com"))
    for suffix, what, kinds in _FAMILIES:
        if host.endswith(suffix):
            if suffix == ".es.amazonaws.com" and not host.startswith("vpc-"):
                return None  # a public OpenSearch domain (search-…) is on the internet
            return what, kinds
    return None


def owned_interfaces(account: Account) -> list[tuple[str, str, object, tuple[str, ...]]]:
    """``(hop kind, node id, record, interface ids)`` of every database, proxy, load balancer,
    cache cluster and OpenSearch domain whose interfaces the snapshot holds, for the graph's
    ``has-eni`` edges. An interface two resources could claim (DB instances sharing subnets,
    groups and AZ) is left to neither: its owner is not known."""
    found: list[tuple[str, str, object, list[NetworkInterface]]] = []
    for inst in account.db_instances.values():
        found.append(("database", inst.id, inst, instance_enis(account, inst)))
    for proxy in account.db_proxies.values():
        res = _db_proxy(account, proxy.endpoint) if proxy.endpoint else None
        found.append(("database", proxy.name, proxy, list(res.enis) if res else []))
    for lb in account.load_balancers.values():
        found.append(
            ("load-balancer", lb.arn, lb, described(account, load_balancer_description(lb)))
        )
    for cluster in account.cache_clusters.values():
        enis = described(account, f"ElastiCache {cluster.id}")
        found.append(("cache", cluster.id, cluster, enis))
    for domain in account.opensearch_domains.values():
        if domain.vpc_id is not None:
            found.append(
                ("search-domain", domain.name, domain, described(account, f"ES {domain.name}"))
            )
    claims: dict[str, int] = {}
    for _, _, _, enis in found:
        for eni in enis:
            claims[eni.id] = claims.get(eni.id, 0) + 1
    return [
        (hop_kind, node, obj, tuple(e.id for e in enis if claims[e.id] == 1))
        for hop_kind, node, obj, enis in found
    ]


def resource_available(obj: object) -> tuple[bool | None, str | None]:
    """Whether a database, proxy, load balancer, cache cluster or domain accepts connections
    now, and its status as AWS prints it."""
    status = getattr(obj, "status", None) if not isinstance(obj, LoadBalancer) else obj.state
    if isinstance(obj, DbInstance | DbCluster):
        return _db_available(status), status
    if isinstance(obj, LoadBalancer):
        return (None if status is None else status in ("active", "active_impaired")), status
    if status is None:
        return None, None
    if isinstance(obj, OpenSearchDomain):
        return status != "deleted", status  # "processing": a change in progress still serves
    return status == "available", status
