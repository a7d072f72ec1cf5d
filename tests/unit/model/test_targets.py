"""TARGET parsing (DESIGN.md's CLI contract) and function lookup."""

from __future__ import annotations

import pytest

from tests.support.builders import private_vpc_with_nat
from vpcdoctor.errors import FunctionNotFound, TargetError
from vpcdoctor.graph.model.targets import find_function, parse_target
from vpcdoctor.graph.model.verdict import TargetKind

K = TargetKind


@pytest.mark.parametrize(
    ("text", "host", "port", "kind", "service"),
    [
        ("api.stripe.com", "api.stripe.com", 443, K.HOSTNAME, None),
        ("api.corp.internal:8443", "api.corp.internal", 8443, K.HOSTNAME, None),
        ("10.0.1.5:5432", "10.0.1.5", 5432, K.PRIVATE_IP, None),
        ("172.16.0.1", "172.16.0.1", 443, K.PRIVATE_IP, None),
        ("100.64.1.1", "100.64.1.1", 443, K.PRIVATE_IP, None),
        ("1.1.1.1:443", "1.1.1.1", 443, K.INTERNET, None),
        ("[2600:1f18::1]:8443", "2600:1f18::1", 8443, K.INTERNET, None),
        ("[fd00::5]:22", "fd00::5", 22, K.PRIVATE_IP, None),
        ("2600:1f18::1", "2600:1f18::1", 443, K.INTERNET, None),
        ("https://api.example.com", "api.example.com", 443, K.HOSTNAME, None),
        ("http://api.example.com/path?q=1", "api.example.com", 80, K.HOSTNAME, None),
        ("postgres://db.corp.internal/app", "db.corp.internal", 5432, K.HOSTNAME, None),
        ("https://10.0.0.5:8443/x", "10.0.0.5", 8443, K.PRIVATE_IP, None),
        ("internet", "internet", 443, K.INTERNET, None),
        ("s3", "s3", 443, K.AWS_SERVICE, "s3"),
        ("ecr.dkr", "ecr.dkr", 443, K.AWS_SERVICE, "ecr.dkr"),
        ("ssmmessages", "ssmmessages", 443, K.AWS_SERVICE, "ssmmessages"),
        ("com.amazonaws.ap-northeast-1.kms", "kms", 443, K.AWS_SERVICE, "kms"),
        ("secretsmanager.ap-northeast-1.amazonaws.com", None, 443, K.AWS_SERVICE, "secretsmanager"),
        ("mybucket.s3.ap-northeast-1.amazonaws.com", None, 443, K.AWS_SERVICE, "s3"),
        ("s3.amazonaws.com", None, 443, K.AWS_SERVICE, "s3"),
        ("sts.amazonaws.com", None, 443, K.AWS_SERVICE, "sts"),
        ("dynamodb.us-east-1.amazonaws.com", None, 443, K.AWS_SERVICE, "dynamodb"),
        ("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", None, 443, K.AWS_SERVICE, "ecr.dkr"),
        ("api.ecr.ap-northeast-1.amazonaws.com", None, 443, K.AWS_SERVICE, "ecr.api"),
        (
            "https://secretsmanager.ap-northeast-1.amazonaws.com",
            None,
            443,
            K.AWS_SERVICE,
            "secretsmanager",
        ),
    ],
)
def test_parse(
    text: str, host: str | None, port: int, kind: TargetKind, service: str | None
) -> None:
    target = parse_target(text)
    assert target.input == text
    if host is not None:
        assert target.host == host
    assert (target.port, target.kind, target.service) == (port, kind, service)


def test_account_endpoint_services_are_accepted_bare() -> None:
    assert parse_target("myservice").kind is K.HOSTNAME
    assert parse_target("myservice", services={"myservice"}).kind is K.AWS_SERVICE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a b",
        "host:99999",
        "host:0",
        "host:http",
        "foo://bar",
        "[::1",
        "[nothex]:80",
        "bad_host..name",
        "http://",
        "x\x1b[31m",
        "1:2:3:zz",
    ],
)
def test_bad_targets_raise_one_line(text: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(text)
    assert "\n" not in str(info.value)


def test_function_lookup_names_nearest_matches() -> None:
    account = private_vpc_with_nat().build()
    assert find_function(account, "fn").name == "fn"
    assert find_function(account, account.functions["fn"].arn).name == "fn"
    with pytest.raises(FunctionNotFound, match="nearest: fn"):
        find_function(account, "fnn")
    with pytest.raises(FunctionNotFound, match="1 functions"):
        find_function(account, "completely-different")
