"""TARGET parsing: what the user typed after ``--target`` → a :class:`Target`.

Accepted forms (DESIGN.md): ``host[:port]``, ``ipv4[:port]``, ``[ipv6]:port`` (a bare IPv6
literal too), a URL (its scheme gives the default port), an AWS service short name (``s3``,
``secretsmanager``, ``ecr.api`` … or ``com.amazonaws.<region>.<service>``), an AWS endpoint host
name pasted from a timeout in the logs (``secretsmanager.ap-northeast-1.amazonaws.com``,
``mybucket.s3.ap-northeast-1.amazonaws.com``, ``sts.amazonaws.com``), and ``internet``.

Classification: private addresses (RFC 1918, RFC 6598 shared space, link-local, ULA) are
``private-ip``; other addresses are ``internet``; other host names are ``hostname`` and go
through the DNS simulation. A target that cannot be understood raises :class:`TargetError`
with one line saying what is accepted.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import replace
from urllib.parse import urlsplit

from vpcdoctor.errors import FunctionNotFound, TargetError
from vpcdoctor.graph.model import Account, IPAddress, LambdaFunction
from vpcdoctor.graph.model.addresses import is_private
from vpcdoctor.graph.model.verdict import Target, TargetKind

DEFAULT_PORT = 443

INTERNET = "internet"
"""The shorthand for "any public IPv4 address"."""

#: Service short names accepted on their own. Any ``com.amazonaws.<region>.<x>`` endpoint service
#: is accepted too, and so is any name the account has a VPC endpoint for (see parse_target).
KNOWN_SERVICES: frozenset[str] = frozenset(
    {
        "s3",
        "dynamodb",
        "sts",
        "secretsmanager",
        "logs",
        "kms",
        "ecr.api",
        "ecr.dkr",
        "ssm",
        "ssmmessages",
        "ec2messages",
        "sqs",
        "sns",
        "ec2",
        "lambda",
        "monitoring",
        "events",
        "states",
        "execute-api",
        "kinesis-streams",
        "kinesis-firehose",
        "elasticloadbalancing",
        "rds",
        "rds-data",
        "ecs",
        "ecs-agent",
        "ecs-telemetry",
        "athena",
        "glue",
        "xray",
        "sagemaker.api",
        "sagemaker.runtime",
        "bedrock",
        "bedrock-runtime",
        "bedrock-agent",
        "bedrock-agent-runtime",
        "codeartifact.api",
        "codeartifact.repositories",
        "appconfig",
        "appconfigdata",
        "email-smtp",
        "elasticache",
        "cloudformation",
        "autoscaling",
        "apigateway",
        "ebs",
        "textract",
        "comprehend",
        "cognito-idp",
        "elasticfilesystem",
        "servicediscovery",
        "ssm-contacts",
        "codecommit",
        "git-codecommit",
        "codebuild",
        "codepipeline",
        "application-autoscaling",
        "acm-pca",
        "kafka",
        "scheduler",
        "aps",
        "aps-workspaces",
        "email",
        "iot.data",
        "transfer",
        "backup",
        "pipes",
        "redshift-data",
    }
)

#: Endpoint host labels that differ from the endpoint service name.
_HOST_LABEL_SERVICE: dict[str, str] = {
    "api.ecr": "ecr.api",
    "dkr.ecr": "ecr.dkr",
    "ecr": "ecr.api",
    "kinesis": "kinesis-streams",
    "firehose": "kinesis-firehose",
    "runtime.sagemaker": "sagemaker.runtime",
    "api.sagemaker": "sagemaker.api",
    "data.iot": "iot.data",
}

#: Services with one global endpoint name (``sts.amazonaws.com``, ``s3.amazonaws.com``).
_GLOBAL_HOSTS: dict[str, str] = {
    "s3.amazonaws.com": "s3",
    "sts.amazonaws.com": "sts",
    "iam.amazonaws.com": "iam",
    "route53.amazonaws.com": "route53",
    "cloudfront.amazonaws.com": "cloudfront",
    "organizations.us-east-1.amazonaws.com": "organizations",
}

_SCHEME_PORTS: dict[str, int] = {
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
    "ftp": 21,
    "ssh": 22,
    "sftp": 22,
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "redis": 6379,
    "rediss": 6379,
    "memcached": 11211,
    "mongodb": 27017,
    "mongodb+srv": 27017,
    "amqp": 5672,
    "amqps": 5671,
    "kafka": 9092,
    "ldap": 389,
    "ldaps": 636,
    "smtp": 25,
    "smtps": 465,
    "sqlserver": 1433,
    "mssql": 1433,
    "oracle": 1521,
    "grpc": 443,
    "tcp": DEFAULT_PORT,
}

_REGION = r"(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)"
_ENDPOINT_SERVICE = re.compile(rf"^com\.amazonaws\.(?:vpce\.)?{_REGION}\.(?P<svc>[a-z0-9.-]+)$")
_REGIONAL_HOST = re.compile(rf"^(?P<prefix>.+?)[.-](?P<region>{_REGION})\.amazonaws\.com$")
_S3_HOST = re.compile(
    rf"^(?:(?P<bucket>.+)\.)?s3(?:[.-](?:dualstack\.)?(?:{_REGION})|\.dualstack\.{_REGION}|-external-1)?"
    r"\.amazonaws\.com$"
)
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")

_ACCEPTED = (
    "expected host[:port], ipv4[:port], [ipv6]:port, a URL, 'internet', or an AWS service "
    "short name such as s3, sts, secretsmanager, ecr.api"
)


def is_private_address(ip: IPAddress) -> bool:
    """True for every address that is not the internet: RFC 1918, shared (CGNAT) space, ULA,
    link-local, documentation, multicast… (the one table: :mod:`~.addresses`)."""
    return is_private(ip)


def service_for_host(host: str) -> str | None:
    """The AWS service an endpoint host name belongs to, or None for any other name."""
    host = host.rstrip(".").lower()
    if not host.endswith(".amazonaws.com"):
        return None
    if host in _GLOBAL_HOSTS:
        return _GLOBAL_HOSTS[host]
    if _S3_HOST.match(host):
        return "s3"
    if ".vpce.amazonaws.com" in host:
        # vpce-0abc-xyz.secretsmanager.ap-northeast-1.vpce.amazonaws.com (endpoint-specific name)
        m = re.match(
            rf"^(?:.+\.)?vpce-[a-z0-9-]+\.(?P<svc>.+)\.{_REGION}\.vpce\.amazonaws\.com$", host
        )
        if m:
            return _HOST_LABEL_SERVICE.get(m["svc"], m["svc"])
        return None
    m = _REGIONAL_HOST.match(host)
    if m is None:
        # A global name like sts.amazonaws.com handled above; <svc>.amazonaws.com otherwise.
        first = host[: -len(".amazonaws.com")]
        return first if "." not in first and first in KNOWN_SERVICES else None
    prefix = m["prefix"]
    if prefix in _HOST_LABEL_SERVICE:
        return _HOST_LABEL_SERVICE[prefix]
    # <account>.dkr.ecr.<region>, <api-id>.execute-api.<region>, <bucket>.s3.<region> …
    labels = prefix.split(".")
    for take in (2, 1):
        if len(labels) >= take:
            tail = ".".join(labels[-take:])
            if tail in _HOST_LABEL_SERVICE:
                return _HOST_LABEL_SERVICE[tail]
            if tail in KNOWN_SERVICES:
                return tail
    last = labels[-1]
    return last.removesuffix("-fips") or None


def _port(text: str, original: str) -> int:
    if not text.isdigit():
        raise TargetError(f"target {original!r}: port {text!r} is not a number; {_ACCEPTED}")
    port = int(text)
    if not 1 <= port <= 65535:
        raise TargetError(f"target {original!r}: port {port} is outside 1-65535")
    return port


def _address_target(original: str, ip: IPAddress, port: int) -> Target:
    kind = TargetKind.PRIVATE_IP if is_private_address(ip) else TargetKind.INTERNET
    return Target(input=original, host=str(ip), port=port, kind=kind, ip=str(ip))


def _host_target(original: str, host: str, port: int) -> Target:
    host = host.rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return _address_target(original, ip, port)
    if host == INTERNET:
        return Target(input=original, host=INTERNET, port=port, kind=TargetKind.INTERNET)
    if not host or len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
        raise TargetError(f"target {original!r}: {host!r} is not a valid host name; {_ACCEPTED}")
    service = service_for_host(host)
    if service is not None:
        return Target(
            input=original, host=host, port=port, kind=TargetKind.AWS_SERVICE, service=service
        )
    return Target(input=original, host=host, port=port, kind=TargetKind.HOSTNAME)


_PROTOCOL_PREFIX = re.compile(r"^(?P<proto>tcp|udp)/(?P<rest>.+)$", re.IGNORECASE)


def parse_target(
    text: str,
    *,
    services: frozenset[str] | set[str] = frozenset(),
    protocol: str | None = None,
) -> Target:
    """Parse a TARGET argument.

    ``udp/HOST:PORT`` (or ``protocol="udp"``) makes it a UDP target — DNS to an on-premises
    resolver, syslog, statsd — checked through the same routes, security groups and network
    ACLs with the UDP rules; ``tcp/`` is the default.

    Args:
        text: what the user typed.
        services: extra service short names to accept bare (the account's endpoint services).
        protocol: ``tcp`` or ``udp`` (``--protocol``); a ``udp/`` prefix in ``text`` wins.

    Raises:
        TargetError: the text is not any accepted form (one line, says what is accepted).
    """
    stripped = text.strip()
    m = _PROTOCOL_PREFIX.match(stripped)
    wanted = (m["proto"] if m else protocol or "tcp").lower()
    if wanted not in ("tcp", "udp"):
        raise TargetError(f"protocol {protocol!r}: expected tcp or udp")
    parsed = _parse_target(text, m["rest"] if m else text, services=services)
    if wanted == "udp":
        if parsed.kind is TargetKind.AWS_SERVICE:
            raise TargetError(f"target {text!r}: AWS service endpoints answer over TCP (HTTPS)")
        return replace(parsed, protocol="udp", input=text)
    return replace(parsed, input=text) if m else parsed


def _parse_target(original: str, text: str, *, services: frozenset[str] | set[str]) -> Target:
    text = text.strip()
    if not text:
        raise TargetError(f"empty target; {_ACCEPTED}")
    if any(ord(c) < 32 or c.isspace() for c in text):
        raise TargetError(f"target {original!r} contains spaces or control characters")
    lowered = text.lower()

    # AWS service short names: s3, ecr.api, com.amazonaws.ap-northeast-1.secretsmanager, s3:443
    name, _, maybe_port = lowered.partition(":")
    m = _ENDPOINT_SERVICE.match(name)
    svc = m["svc"] if m else name
    if (svc in KNOWN_SERVICES or svc in services or m) and "/" not in lowered:
        port = _port(maybe_port, original) if maybe_port else DEFAULT_PORT
        return Target(input=original, host=svc, port=port, kind=TargetKind.AWS_SERVICE, service=svc)

    # URLs
    if "://" in text:
        try:
            parts = urlsplit(text)
            host = parts.hostname
            explicit = parts.port
        except ValueError as error:
            raise TargetError(f"target {original!r}: not a valid URL ({error})") from None
        if not host:
            raise TargetError(f"target {original!r}: the URL has no host; {_ACCEPTED}")
        scheme = parts.scheme.lower()
        if explicit is None:
            if scheme not in _SCHEME_PORTS:
                raise TargetError(
                    f"target {original!r}: no default port for scheme {scheme!r}; add :PORT"
                )
            explicit = _SCHEME_PORTS[scheme]
        if explicit == 0:
            raise TargetError(f"target {original!r}: port 0 is outside 1-65535")
        return _host_target(original, host, explicit)

    # [ipv6]:port or [ipv6]
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise TargetError(f"target {original!r}: missing ']' after the IPv6 address")
        inner, rest = text[1:close], text[close + 1 :]
        try:
            ip6 = ipaddress.IPv6Address(inner)
        except ValueError:
            raise TargetError(f"target {original!r}: {inner!r} is not an IPv6 address") from None
        if rest and not rest.startswith(":"):
            raise TargetError(f"target {original!r}: expected ':PORT' after ']'")
        port = _port(rest[1:], original) if rest else DEFAULT_PORT
        return _address_target(original, ip6, port)

    # A bare IPv6 literal (two or more colons, no brackets): no port possible.
    if text.count(":") >= 2:
        try:
            return _address_target(original, ipaddress.IPv6Address(text), DEFAULT_PORT)
        except ValueError:
            raise TargetError(
                f"target {original!r}: not an IPv6 address (write [ipv6]:port); {_ACCEPTED}"
            ) from None

    if "/" in text or "@" in text:
        raise TargetError(f"target {original!r}: {_ACCEPTED}")
    host, sep, port_text = text.partition(":")
    port = _port(port_text, original) if sep else DEFAULT_PORT
    return _host_target(original, host, port)


# --------------------------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------------------------

_ARN_NAME = re.compile(r"^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:(?P<name>[^:]+)(?::.+)?$")


def find_function(account: Account, name: str) -> LambdaFunction:
    """The function called ``name``, or named by its ARN (qualified or not).

    A name that several accounts or Regions of the snapshot use is keyed by ARN in
    ``account.functions``: asked by that name, the error lists the ARNs that match.

    Raises:
        FunctionNotFound: no such function (the message names the nearest matches), or the
            name is ambiguous (the message lists the ARNs to choose from).
    """
    fn = account.functions.get(name)
    if fn is not None:
        return fn
    m = _ARN_NAME.match(name)
    if m:
        unqualified = ":".join(name.split(":")[:7])
        if unqualified in account.functions:
            return account.functions[unqualified]
        candidate = account.functions.get(m["name"])
        if candidate is not None and ":".join(candidate.arn.split(":")[:7]) == unqualified:
            return candidate
    same_name = sorted(key for key, f in account.functions.items() if f.name == name)
    if len(same_name) == 1:
        return account.functions[same_name[0]]
    if len(same_name) > 1:
        safe = name.encode("ascii", "backslashreplace").decode()
        raise FunctionNotFound(
            f"{len(same_name)} Lambda functions are named {safe!r} (in several accounts or "
            f"Regions); name one by its ARN: {', '.join(same_name)}"
        )
    folded = [f for f in account.functions if f.lower() == name.lower()]
    if len(folded) == 1:
        return account.functions[folded[0]]
    names = sorted(account.functions)
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    if not near:
        near = [n for n in names if name.lower() in n.lower()][:3]
    safe = name.encode("ascii", "backslashreplace").decode()
    if near:
        hint = "nearest: " + ", ".join(near)
    elif names:
        hint = f"the snapshot has {len(names)} functions (list them with: vpcdoctor audit)"
    else:
        hint = "the snapshot has no Lambda functions (export: aws lambda list-functions)"
    raise FunctionNotFound(f"no Lambda function named {safe!r}; {hint}")
