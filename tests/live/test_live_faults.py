"""AWS faults in live mode, injected with botocore ``before-send`` hooks against moto.

Each fault either becomes a gap (collection goes on; the engine makes the affected hops
unknown, naming the IAM action or cause) or one clear CollectionError (exit code 2).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from tests.support.moto_server import build_scenario
from vpcdoctor.cli import main
from vpcdoctor.errors import CollectionError
from vpcdoctor.graph.live import collect as C

pytestmark = pytest.mark.moto
pytest_plugins = ("tests.support.moto_server",)

FAST = Config(retries={"mode": "adaptive", "max_attempts": 3}, connect_timeout=2, read_timeout=5)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def ec2_error(status: int, code: str, message: str = "injected") -> Callable[..., AWSResponse]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
        f"<Message>{message}</Message></Error></Errors><RequestID>r</RequestID></Response>"
    ).encode()

    def handler(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, {"Content-Type": "text/xml"}, _Raw(body))

    return handler


def query_error(status: int, code: str) -> Callable[..., AWSResponse]:
    """An STS (query protocol) error document."""
    body = (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected"
        f"</Message></Error><RequestId>r</RequestId></ErrorResponse>"
    ).encode()

    def handler(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, {"Content-Type": "text/xml"}, _Raw(body))

    return handler


class Counting:
    """Wrap a hook and count how many times it was hit (attempts, retries included)."""

    def __init__(self, inner: Callable[..., Any], fail_times: int | None = None) -> None:
        self.inner = inner
        self.hits = 0
        self.fail_times = fail_times

    def __call__(self, **kwargs: Any) -> Any:
        self.hits += 1
        if self.fail_times is not None and self.hits > self.fail_times:
            return None  # let the real request through
        return self.inner(**kwargs)


def test_access_denied_is_a_gap_and_the_rest_goes_on(aws: Any) -> None:
    build_scenario(aws.url)
    deny = Counting(ec2_error(403, "UnauthorizedOperation", "You are not authorized"))
    col = C.collect_live(hooks=[("before-send.ec2.DescribeNetworkAcls", deny)], config=FAST)
    gaps = [g for g in col.gaps if g.kind == "describe-network-acls"]
    assert len(gaps) == 1
    assert gaps[0].reason == "AccessDenied"
    assert gaps[0].iam_action == "ec2:DescribeNetworkAcls"
    assert deny.hits == 1, "AccessDenied must not be retried"
    kinds = {o.kind for o in col.outputs}
    assert "describe-network-acls" not in kinds
    assert {"describe-vpcs", "describe-subnets", "describe-route-tables"} <= kinds
    record = next(r for r in col.operations if r.kind == "describe-network-acls")
    assert record.status == "gap"


def test_access_denied_makes_the_nacl_hops_unknown(aws: Any) -> None:
    """With the engine: the hops that needed the NACLs are unknown and name the IAM action."""
    build_scenario(aws.url)
    deny = ec2_error(403, "UnauthorizedOperation")
    col = C.collect_live(
        function="orders-api",
        hooks=[("before-send.ec2.DescribeNetworkAcls", deny)],
        config=FAST,
    )
    try:
        from vpcdoctor.diagnostics.diagnose import check

        account = col.account()
        result = check(account, "orders-api", "s3")
    except NotImplementedError:
        pytest.skip("loader/engine not landed yet")
    doc = json.loads(
        json.dumps(
            result.to_json() if hasattr(result, "to_json") else result,
            default=lambda o: getattr(o, "__dict__", str(o)),
        )
    )
    text = json.dumps(doc)
    assert doc["verdict"] != "reachable"
    assert "ec2:DescribeNetworkAcls" in text
    statuses = {
        hop["status"] for path in doc["paths"] for hop in path["hops"] if "acl" in hop["kind"]
    }
    assert "unknown" in statuses


def test_throttling_is_retried_then_succeeds(aws: Any) -> None:
    build_scenario(aws.url)
    throttle = Counting(ec2_error(503, "RequestLimitExceeded"), fail_times=2)
    col = C.collect_live(hooks=[("before-send.ec2.DescribeSubnets", throttle)], config=FAST)
    assert throttle.hits == 3
    assert not [g for g in col.gaps if g.kind == "describe-subnets"]
    assert any(o.kind == "describe-subnets" for o in col.outputs)
    assert col.calls_by_operation["ec2:DescribeSubnets"] == 1  # one call, three attempts


def test_throttling_that_never_ends_is_a_gap(aws: Any) -> None:
    build_scenario(aws.url)
    throttle = Counting(ec2_error(503, "RequestLimitExceeded"))
    col = C.collect_live(hooks=[("before-send.ec2.DescribeSubnets", throttle)], config=FAST)
    assert throttle.hits >= 3  # retried (max_attempts=3), then given up
    gap = next(g for g in col.gaps if g.kind == "describe-subnets")
    assert gap.reason.startswith("throttled")
    assert gap.iam_action == "ec2:DescribeSubnets"


def test_server_error_is_a_gap_with_the_cause(aws: Any) -> None:
    build_scenario(aws.url)
    col = C.collect_live(
        hooks=[("before-send.ec2.DescribeRouteTables", ec2_error(500, "InternalError"))],
        config=FAST,
    )
    gap = next(g for g in col.gaps if g.kind == "describe-route-tables")
    assert "HTTP 500" in gap.reason


def test_connection_reset_is_a_gap(aws: Any) -> None:
    build_scenario(aws.url)

    def reset(request: Any, **_: Any) -> None:
        raise ConnectionClosedError(endpoint_url=request.url)

    col = C.collect_live(hooks=[("before-send.ec2.DescribeVpcEndpoints", reset)], config=FAST)
    gap = next(g for g in col.gaps if g.kind == "describe-vpc-endpoints")
    assert gap.reason.startswith("connection reset")


def test_read_timeout_is_a_gap(aws: Any) -> None:
    build_scenario(aws.url)

    def slow(request: Any, **_: Any) -> None:
        raise ReadTimeoutError(endpoint_url=request.url)

    col = C.collect_live(hooks=[("before-send.route53.ListResourceRecordSets", slow)], config=FAST)
    gaps = [g for g in col.gaps if g.kind == "list-resource-record-sets"]
    assert gaps and all(g.reason.startswith("timeout") for g in gaps)
    assert all(g.owner for g in gaps)  # names the zone


def test_real_slow_endpoint_hits_the_read_timeout(aws: Any, monkeypatch: Any) -> None:
    """A server on 127.0.0.1 that accepts and never answers: one clear error, no hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    slow = Config(
        retries={"mode": "adaptive", "max_attempts": 2}, connect_timeout=0.5, read_timeout=0.5
    )
    try:
        with pytest.raises(CollectionError, match="timeout"):
            C.collect_live(config=slow)
    finally:
        listener.close()


def test_expired_token_is_one_clear_error(aws: Any) -> None:
    with pytest.raises(CollectionError, match="expired"):
        C.collect_live(
            hooks=[("before-send.sts.GetCallerIdentity", query_error(403, "ExpiredToken"))],
            config=FAST,
        )


def test_request_expired_midway_is_one_clear_error(aws: Any) -> None:
    build_scenario(aws.url)
    with pytest.raises(CollectionError, match="RequestExpired"):
        C.collect_live(
            hooks=[("before-send.ec2.DescribeSubnets", ec2_error(400, "RequestExpired"))],
            config=FAST,
        )


def test_no_credentials_is_one_clear_error(aws: Any, monkeypatch: Any) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    with pytest.raises(CollectionError, match="no usable AWS credentials"):
        C.collect_live(config=FAST)


def test_unreachable_endpoint_is_one_clear_error(aws: Any, monkeypatch: Any) -> None:
    """An unknown region / no endpoint: nothing listens on the port (127.0.0.1 only)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(CollectionError, match="cannot reach the AWS sts endpoint"):
        C.collect_live(config=FAST)


def test_region_without_the_service_is_one_clear_error(aws: Any) -> None:
    build_scenario(aws.url)

    def no_endpoint(request: Any, **_: Any) -> None:
        raise EndpointConnectionError(endpoint_url=request.url)

    with pytest.raises(CollectionError, match="route53resolver"):
        C.collect_live(hooks=[("before-send.route53resolver", no_endpoint)], config=FAST)


def test_cli_exit_code_2_and_one_line(aws: Any, tmp_path: Path, capsys: Any) -> None:
    """`vpcdoctor export` with a fatal fault: exit 2, one line on stderr, nothing written."""
    target = tmp_path / "snap"
    original = C.AwsClients.__init__

    def with_hook(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["hooks"] = [("before-send.sts.GetCallerIdentity", query_error(403, "ExpiredToken"))]
        original(self, *args, **kwargs)

    pytest.MonkeyPatch().setattr(C.AwsClients, "__init__", with_hook)
    try:
        code = main(["export", str(target)])
    finally:
        C.AwsClients.__init__ = original  # type: ignore[method-assign]
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("vpcdoctor: ") and "expired" in err
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "aws-config"] or not any(
        p.name.endswith(".vpcdoctor-tmp") for p in tmp_path.iterdir()
    )
