"""Small accounts built in code for the TUI tests (deterministic, no loader needed)."""

from __future__ import annotations

import ipaddress

from vpcdoctor.graph.model import (
    Account,
    GatewayAttachment,
    InternetGateway,
    LambdaFunction,
    LambdaState,
    Route,
    RouteTable,
    RouteTargetType,
    Subnet,
    Vpc,
    VpcConfig,
)


def tiny_account() -> Account:
    """One VPC with a public subnet pair; functions in, out of and pending in the VPC.

    Names include hostile strings (markup, escape sequences, an RTL override) on purpose.
    """
    vpc = Vpc(
        id="vpc-0demo",
        cidrs=(ipaddress.IPv4Network("10.0.0.0/16"),),
        tags={"Name": "[bold red]prod[/] \x1b[31mvpc\u202e"},
    )
    subnets = {
        "subnet-0pub1a": Subnet(
            id="subnet-0pub1a",
            vpc_id=vpc.id,
            az="ap-northeast-1a",
            cidr=ipaddress.IPv4Network("10.0.0.0/24"),
            tags={"Name": "public-1a"},
        ),
        "subnet-0pub1c": Subnet(
            id="subnet-0pub1c",
            vpc_id=vpc.id,
            az="ap-northeast-1c",
            cidr=ipaddress.IPv4Network("10.0.1.0/24"),
            tags={"Name": "public-1c"},
        ),
    }
    rtb = RouteTable(
        id="rtb-0pub",
        vpc_id=vpc.id,
        routes=(
            Route(
                destination=ipaddress.IPv4Network("10.0.0.0/16"),
                target_type=RouteTargetType.LOCAL,
                target_id="local",
            ),
            Route(
                destination=ipaddress.IPv4Network("0.0.0.0/0"),
                target_type=RouteTargetType.INTERNET_GATEWAY,
                target_id="igw-0demo",
            ),
        ),
        subnet_ids=tuple(subnets),
        is_main=True,
    )
    igw = InternetGateway(
        id="igw-0demo", attachments=(GatewayAttachment(vpc_id=vpc.id, state="available"),)
    )
    config = VpcConfig(subnet_ids=tuple(subnets), security_group_ids=("sg-0fn",), vpc_id=vpc.id)
    functions = {
        "public-subnet": LambdaFunction(
            name="public-subnet",
            arn="arn:aws:lambda:ap-northeast-1:111122223333:function:public-subnet",
            runtime="python3.12",
            vpc=config,
            state=LambdaState.ACTIVE,
        ),
        "no-vpc": LambdaFunction(
            name="no-vpc",
            arn="arn:aws:lambda:ap-northeast-1:111122223333:function:no-vpc",
            runtime="nodejs20.x",
            state=LambdaState.ACTIVE,
        ),
        "[link=https://evil.example]click[/link]": LambdaFunction(
            name="[link=https://evil.example]click[/link]",
            arn="arn:aws:lambda:ap-northeast-1:111122223333:function:x",
            runtime="python3.12",
            vpc=config,
            state=LambdaState.PENDING,
            state_reason="Creating ENIs",
        ),
    }
    return Account.build(
        account_id="111122223333",
        region="ap-northeast-1",
        vpcs={vpc.id: vpc},
        subnets=subnets,
        route_tables={rtb.id: rtb},
        internet_gateways={igw.id: igw},
        functions=functions,
    )
