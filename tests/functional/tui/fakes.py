"""A hand-built CheckResult, for tests that run before/without the engine."""

from __future__ import annotations

from vpcdoctor.graph.model.verdict import (
    CheckResult,
    Evidence,
    Hop,
    HopStatus,
    PathResult,
    Target,
    TargetKind,
    Verdict,
)


def blocked_result(function: str = "public-subnet", target: str = "api.stripe.com") -> CheckResult:
    def path(subnet: str, az: str) -> PathResult:
        return PathResult(
            subnet=subnet,
            az=az,
            verdict=Verdict.UNREACHABLE,
            hops=(
                Hop(
                    resource=None,
                    kind="dns",
                    status=HopStatus.PASS,
                    code="DNS_PUBLIC",
                    detail="public name",
                ),
                Hop(
                    resource=function,
                    kind="lambda",
                    status=HopStatus.PASS,
                    code="LAMBDA_OK",
                    detail="Active",
                ),
                Hop(
                    resource="eni-0aaa",
                    kind="eni",
                    status=HopStatus.PASS,
                    code="ENI_OK",
                    detail="x",
                ),
                Hop(
                    resource=subnet, kind="subnet", status=HopStatus.PASS, code="SUBNET", detail="x"
                ),
                Hop(
                    resource="rtb-0pub",
                    kind="route-table",
                    status=HopStatus.FAIL,
                    code="LAMBDA_PUBLIC_SUBNET_NO_PUBLIC_IP",
                    detail="0.0.0.0/0 goes to igw-0demo but Lambda ENIs never get a public IP "
                    "[bold]markup[/bold]",
                    evidence=(Evidence(resource="rtb-0pub", text="0.0.0.0/0 → igw-0demo"),),
                    fix="aws lambda update-function-configuration --function-name public-subnet "
                    "--vpc-config SubnetIds=subnet-0priv1a,SecurityGroupIds=sg-0fn",
                ),
                Hop(
                    resource="igw-0demo",
                    kind="internet-gateway",
                    status=HopStatus.SKIP,
                    code="NOT_EVALUATED",
                    detail="x",
                ),
                Hop(
                    resource="api.stripe.com",
                    kind="target",
                    status=HopStatus.SKIP,
                    code="NOT_EVALUATED",
                    detail="x",
                ),
            ),
        )

    return CheckResult(
        function=function,
        target=Target(input=target, host=target, port=443, kind=TargetKind.HOSTNAME),
        verdict=Verdict.UNREACHABLE,
        paths=(path("subnet-0pub1a", "ap-northeast-1a"), path("subnet-0pub1c", "ap-northeast-1c")),
    )
