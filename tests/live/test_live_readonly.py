"""Read-only by construction: the before-call guard refuses writes before anything is sent."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.support.moto_network import add_network
from tests.support.moto_server import REGION, build_scenario, clients
from tests.support.paths import ROOT
from vpcdoctor.errors import ReadOnlyViolation
from vpcdoctor.graph.live import collect as C
from vpcdoctor.graph.live.readonly import ReadOnlyGuard, is_read_operation
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME

pytestmark = pytest.mark.moto
pytest_plugins = ("tests.support.moto_server",)

POLICY = ROOT / "policy" / "vpcdoctor-readonly.json"

# One write per service client vpcdoctor creates (service → (method, kwargs)).
WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "ec2": ("create_vpc", {"CidrBlock": "10.9.0.0/16"}),
    "lambda": (
        "create_function",
        {
            "FunctionName": "evil",
            "Runtime": "python3.12",
            "Role": "arn:aws:iam::123456789012:role/r",
            "Handler": "h.h",
            "Code": {"ZipFile": b"x"},
        },
    ),
    "route53": (
        "create_hosted_zone",
        {"Name": "evil.internal", "CallerReference": "evil"},
    ),
    "route53resolver": (
        "create_resolver_rule",
        {"CreatorRequestId": "evil", "RuleType": "SYSTEM", "DomainName": "evil.internal"},
    ),
    "elbv2": ("create_load_balancer", {"Name": "evil", "Subnets": ["subnet-1"]}),
    "elasticache": (
        "create_cache_cluster",
        {"CacheClusterId": "evil", "Engine": "redis", "CacheNodeType": "cache.t4g.micro"},
    ),
    "opensearch": ("create_domain", {"DomainName": "evil"}),
    "rds": (
        "create_db_instance",
        {"DBInstanceIdentifier": "evil", "DBInstanceClass": "db.t3.micro", "Engine": "mysql"},
    ),
    "sts": (
        "assume_role",
        {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "evil"},
    ),
}


def test_every_service_vpcdoctor_uses_has_a_write_case() -> None:
    services = {KINDS_BY_NAME[name].service for name in C.COLLECTED_KINDS}
    assert services == set(WRITES)


@pytest.mark.parametrize("service", sorted(WRITES))
def test_write_is_refused_before_it_is_sent(aws: Any, service: str) -> None:
    sent: list[str] = []
    clients_ = C.AwsClients(
        C.make_session(),
        hooks=[("before-send", lambda request, **_: sent.append(request.url))],
    )
    client = clients_(service)
    method, kwargs = WRITES[service]
    with pytest.raises(ReadOnlyViolation, match="refused"):
        getattr(client, method)(**kwargs)
    assert sent == [], "the write reached the wire"
    assert clients_.calls == 0


def test_refused_create_vpc_leaves_moto_unchanged(aws: Any) -> None:
    plain = clients(aws.url)["ec2"]
    before = plain.describe_vpcs()["Vpcs"]
    guarded = C.AwsClients(C.make_session())("ec2")
    with pytest.raises(ReadOnlyViolation):
        guarded.create_vpc(CidrBlock="10.9.0.0/16")
    with pytest.raises(ReadOnlyViolation):
        guarded.modify_vpc_attribute(VpcId=before[0]["VpcId"], EnableDnsSupport={"Value": False})
    assert plain.describe_vpcs()["Vpcs"] == before
    attr = plain.describe_vpc_attribute(VpcId=before[0]["VpcId"], Attribute="enableDnsSupport")
    assert attr["EnableDnsSupport"]["Value"] is True


def test_lambda_invoke_is_refused(aws: Any) -> None:
    """Invoke and update are not reads, even on a function vpcdoctor is diagnosing."""
    build_scenario(aws.url)
    lam = C.AwsClients(C.make_session())("lambda")
    with pytest.raises(ReadOnlyViolation):
        lam.invoke(FunctionName="orders-api")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("h.py", "")
    with pytest.raises(ReadOnlyViolation):
        lam.update_function_code(FunctionName="orders-api", ZipFile=buf.getvalue())


def test_reads_outside_the_registry_are_refused_too(aws: Any) -> None:
    """A read that vpcdoctor does not declare (and the policy does not grant) is refused."""
    ec2 = C.AwsClients(C.make_session())("ec2")
    with pytest.raises(ReadOnlyViolation, match="not one of the read operations"):
        ec2.describe_volumes()


def test_read_operation_names() -> None:
    for name in ("DescribeVpcs", "ListFunctions", "GetHostedZone", "SearchTransitGatewayRoutes"):
        assert is_read_operation(name)
    for name in ("CreateVpc", "Invoke", "DeleteVpc", "Getaway", "Listen", "Describes", "Get"):
        assert not is_read_operation(name)


def test_guard_counts_calls(aws: Any) -> None:
    guard = ReadOnlyGuard()
    ec2 = guard.register(clients(aws.url)["ec2"])
    ec2.describe_vpcs()
    ec2.describe_subnets()
    assert guard.calls == 2
    assert guard.operations() == {("ec2", "DescribeVpcs"): 1, ("ec2", "DescribeSubnets"): 1}


def test_policy_lists_exactly_the_actions_called(aws: Any) -> None:
    """A full and a scoped collection against moto call every action of the policy, and no
    other (the policy file is what SECURITY.md tells users to attach)."""
    # with a TGW route table, a load balancer, a target group and an OpenSearch domain, so the
    # per-resource calls (SearchTransitGatewayRoutes, DescribeListeners…) are made too
    add_network(aws.url, build_scenario(aws.url))
    called: set[str] = set()
    for function in (None, "orders-api"):
        clients_ = C.AwsClients(C.make_session())
        C.collect(clients_, function=function)
        for service, operation in clients_.guard.operations():
            prefix = {"elbv2": "elasticloadbalancing", "opensearch": "es"}.get(service, service)
            called.add(f"{prefix}:{operation}")
    policy = json.loads(POLICY.read_text())
    actions = {a for statement in policy["Statement"] for a in statement["Action"]}
    assert policy["Statement"][0]["Effect"] == "Allow"
    assert all(a.split(":")[1].startswith(("Describe", "List", "Get", "Search")) for a in actions)
    assert called - actions == set(), "called but not in the policy"
    assert actions - called == set(), "in the policy but never called"
    assert actions == set(C.used_iam_actions())
    assert REGION
