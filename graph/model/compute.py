"""Network interfaces and what sits behind them: Lambda functions, instances, load balancers,
databases, Elastic IPs."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

from vpcdoctor.graph.model.base import (
    _NO_TAGS,
    IPAddress,
    LambdaState,
    Tags,
    _name,
)

# --------------------------------------------------------------------------------------------
# Interfaces and addresses
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInterface:
    id: str
    subnet_id: str
    vpc_id: str
    az: str | None = None
    interface_type: str = "interface"
    """``lambda`` for Hyperplane ENIs; ``nat_gateway``, ``vpc_endpoint``, ``interface``…"""
    requester_managed: bool = False
    requester_id: str | None = None
    description: str = ""
    status: str | None = None
    private_ips: tuple[IPAddress, ...] = ()
    """Primary first."""
    ipv6_addresses: tuple[ipaddress.IPv6Address, ...] = ()
    public_ip: ipaddress.IPv4Address | None = None
    """A public IPv4 or Elastic IP associated with the ENI, if any."""
    elastic_ip_allocation_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    instance_id: str | None = None
    attachment_id: str | None = None
    source_dest_check: bool = True
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def is_lambda(self) -> bool:
        return self.interface_type == "lambda"

    @property
    def primary_ip(self) -> IPAddress | None:
        return self.private_ips[0] if self.private_ips else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ElasticIp:
    allocation_id: str | None
    public_ip: ipaddress.IPv4Address
    association_id: str | None = None
    network_interface_id: str | None = None
    private_ip: ipaddress.IPv4Address | None = None
    instance_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


# --------------------------------------------------------------------------------------------
# Lambda
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcConfig:
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    vpc_id: str | None = None
    ipv6_allowed_for_dual_stack: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvisionedConcurrency:
    qualifier: str
    """The alias or version (parsed from the config's FunctionArn)."""
    requested: int | None = None
    allocated: int | None = None
    available: int | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunction:
    name: str
    arn: str
    runtime: str | None = None
    package_type: str = "Zip"
    """``Zip`` or ``Image`` (image functions pull from ECR: ecr.api, ecr.dkr and S3)."""
    memory_mb: int | None = None
    timeout_s: int | None = None
    role: str | None = None
    vpc: VpcConfig | None = None
    """None or empty subnets: not attached to a VPC."""
    state: LambdaState | None = None
    """None: only list-functions was exported, which does not return the state."""
    state_reason: str | None = None
    state_reason_code: str | None = None
    last_update_status: str | None = None
    last_update_status_reason: str | None = None
    last_update_status_reason_code: str | None = None
    reserved_concurrency: int | None = None
    concurrency_known: bool = False
    """True when get-function-concurrency was exported (so None means "no reservation")."""
    provisioned: tuple[ProvisionedConcurrency, ...] | None = None
    """None: list-provisioned-concurrency-configs was not exported."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def in_vpc(self) -> bool:
        return self.vpc is not None and bool(self.vpc.subnet_ids)

    def vpc_id_via(self, vpc_of_subnet: Callable[[str], str | None]) -> str | None:
        """The VPC the function is attached to: the one rule every caller uses.

        None when the function has no subnets (AWS leaves ``VpcId`` empty then); else its
        VpcConfig's ``VpcId``; else the VPC of the first of its subnets whose VPC
        ``vpc_of_subnet`` knows. The lookup is passed in so the engine can answer from the
        graph's edges and everything else from the account (:meth:`Account.function_vpc`).
        """
        if self.vpc is None or not self.vpc.subnet_ids:
            return None
        if self.vpc.vpc_id:
            return self.vpc.vpc_id
        for subnet_id in self.vpc.subnet_ids:
            vpc_id = vpc_of_subnet(subnet_id)
            if vpc_id:
                return vpc_id
        return None


# --------------------------------------------------------------------------------------------
# Targets that are not network primitives: instances, load balancers, databases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    id: str
    state: str
    subnet_id: str | None = None
    vpc_id: str | None = None
    private_ip: IPAddress | None = None
    public_ip: ipaddress.IPv4Address | None = None
    network_interface_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    source_dest_check: bool = True
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Listener:
    """One listener of a load balancer (elbv2 describe-listeners)."""

    arn: str
    load_balancer_arn: str
    protocol: str | None
    """``HTTP``, ``HTTPS``, ``TCP``, ``TLS``, ``UDP``, ``TCP_UDP``, ``GENEVE``…"""
    port: int | None
    default_target_group_arns: tuple[str, ...] = ()
    """Target groups of the default ``forward`` actions (a single one, or a weighted group)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadBalancer:
    arn: str
    name: str
    dns_name: str
    """Normalised (lower case, no trailing dot)."""
    scheme: str
    """``internal`` or ``internet-facing``."""
    type: str
    """``application``, ``network``, ``gateway``."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    canonical_hosted_zone_id: str | None = None
    state: str | None = None
    listeners: tuple[Listener, ...] | None = None
    """None: describe-listeners was not exported for this load balancer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DbEndpoint:
    address: str
    """Normalised (lower case, no trailing dot)."""
    port: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DbInstance:
    id: str
    engine: str
    status: str | None = None
    endpoint: DbEndpoint | None = None
    security_group_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    vpc_id: str | None = None
    cluster_id: str | None = None
    publicly_accessible: bool = False
    availability_zone: str | None = None
    """``AvailabilityZone``: the AZ of its network interface (a subnet of its subnet group)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DbCluster:
    id: str
    engine: str
    status: str | None = None
    endpoint: DbEndpoint | None = None
    reader_endpoint: DbEndpoint | None = None
    port: int | None = None
    security_group_ids: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()
    writer_ids: tuple[str, ...] = ()
    """Members with ``IsClusterWriter`` true: the instance(s) the cluster endpoint names."""
    subnet_group_name: str | None = None
    """``DBSubnetGroup`` (a name): its subnets come from describe-db-subnet-groups."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] | None = None
    """None: describe-db-subnet-groups was not exported (or does not hold the group)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DbProxy:
    name: str
    arn: str
    engine_family: str
    endpoint: str
    """Normalised (lower case, no trailing dot)."""
    status: str | None = None
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
