"""AWS CLI words → an operation's API parameters, the way the AWS CLI turns them into a request.

The option names and value shapes come from botocore's service model (the data the AWS CLI is
generated from): ``--route-table-id`` is the ``RouteTableId`` member of ``CreateRouteRequest``,
a string; ``--route-table-ids`` a list (several words); ``--vpc-config`` a structure (shorthand
or JSON); a boolean member is a flag with its ``--no-`` twin. The AWS CLI's own adjustments
that vpcdoctor's fixes rely on are reproduced: EC2's one-boolean ``{"Value": …}`` structures as
flags (``--enable-dns-hostnames``, ``--no-source-dest-check``), the security-group short form
(``--protocol``/``--port``/``--cidr``/``--source-group``/``--group-owner``), ``file://``
parameter files, and the global options (``--query``, ``--output``, ``--region`` …), which change
nothing in an account. The result is checked with botocore's own parameter validator, so a value
the service would refuse (an unknown key, a string where a number goes) is refused here too.

Only botocore's model files are read: no session, no client, no credentials, no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.whatif import shorthand

#: Global options of the AWS CLI: name → takes a value. They do not change what a command does
#: to the account (``--query``/``--output`` shape what it prints, which captures use).
GLOBAL_OPTIONS: dict[str, bool] = {
    "--query": True,
    "--output": True,
    "--region": True,
    "--profile": True,
    "--endpoint-url": True,
    "--color": True,
    "--ca-bundle": True,
    "--cli-read-timeout": True,
    "--cli-connect-timeout": True,
    "--cli-binary-format": True,
    "--no-cli-pager": False,
    "--no-paginate": False,
    "--no-verify-ssl": False,
    "--no-sign-request": False,
    "--debug": False,
    "--no-cli-auto-prompt": False,
}
_REFUSED_OPTIONS = ("--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton")


@dataclass(frozen=True, slots=True)
class Call:
    """One AWS CLI command, parsed: the API operation and its parameters."""

    service: str
    """``ec2``, ``lambda``, ``route53``, ``route53resolver``."""
    operation: str
    """The CLI name (``create-route``)."""
    api_name: str
    """The API name (``CreateRoute``)."""
    params: dict[str, Any]
    globals: dict[str, str] = field(default_factory=dict)
    """Global options given (``--query`` …), by name without dashes."""


# ---- botocore's model ----------------------------------------------------------------------


@cache
def service_model(service: str) -> Any:
    """botocore's model of ``service`` (read from its data files; nothing is called)."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel

    try:
        data = Loader().load_service_model(service, "service-2")
    except Exception as error:  # botocore raises UnknownServiceError / DataNotFoundError
        raise WhatIfError(f"'aws {service}' is not an AWS CLI service") from error
    return ServiceModel(data, service_name=service)


@cache
def _operations(service: str) -> dict[str, str]:
    from botocore import xform_name

    model = service_model(service)
    return {xform_name(name, "-"): name for name in model.operation_names}


def api_name(service: str, operation: str) -> str | None:
    """``CreateRoute`` for ``create-route`` (None when the service has no such operation)."""
    return _operations(service).get(operation)


@cache
def waiter_names(service: str) -> frozenset[str]:
    """The CLI names of ``aws SERVICE wait …`` (``nat-gateway-available``)."""
    from botocore import xform_name
    from botocore.loaders import Loader

    try:
        data = Loader().load_service_model(service, "waiters-2")
    except Exception:
        return frozenset()
    return frozenset(xform_name(name, "-") for name in data.get("waiters", {}))


# ---- the argument table ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arg:
    member: str
    shape: Any
    style: str
    """``value`` (one word), ``list`` (words up to the next option), ``flag`` / ``no-flag``
    (a boolean member), ``bool-struct`` / ``no-bool-struct`` (EC2's ``{"Value": bool}``, a
    flag that may take a value), ``custom`` (the security-group short form)."""


_SG_SHORT_FORM = frozenset(
    {
        "authorize-security-group-ingress",
        "authorize-security-group-egress",
        "revoke-security-group-ingress",
        "revoke-security-group-egress",
    }
)


#: The AWS CLI's renamed EC2 options (``--no-egress`` is spelled ``--ingress``).
_EC2_RENAMES = {
    "--no-egress": "--ingress",
    "--no-disable-api-termination": "--enable-api-termination",
}


def _is_bool_struct(shape: Any) -> bool:
    members = getattr(shape, "members", None)
    return (
        shape.type_name == "structure"
        and members is not None
        and list(members) == ["Value"]
        and members["Value"].type_name == "boolean"
    )


@cache
def _arg_table(service: str, operation: str) -> tuple[dict[str, _Arg], frozenset[str]]:
    from botocore import xform_name

    name = api_name(service, operation)
    assert name is not None
    shape = service_model(service).operation_model(name).input_shape
    table: dict[str, _Arg] = {}
    required: set[str] = set()
    if shape is None:
        return table, frozenset()
    for member, member_shape in shape.members.items():
        cli = "--" + xform_name(member, "-")
        if member_shape.metadata.get("idempotencyToken"):
            table[cli] = _Arg(member, member_shape, "value")
            continue
        if member in shape.required_members:
            required.add(member)
        if member_shape.type_name == "boolean":
            table[cli] = _Arg(member, member_shape, "flag")
            table["--no-" + cli[2:]] = _Arg(member, member_shape, "no-flag")
        elif service == "ec2" and _is_bool_struct(member_shape):
            table[cli] = _Arg(member, member_shape, "bool-struct")
            table["--no-" + cli[2:]] = _Arg(member, member_shape, "no-bool-struct")
        elif member_shape.type_name == "list":
            table[cli] = _Arg(member, member_shape, "list")
        else:
            table[cli] = _Arg(member, member_shape, "value")
    if service == "ec2":
        for old, new in _EC2_RENAMES.items():
            if old in table:
                table[new] = table.pop(old)
    if service == "ec2" and operation in _SG_SHORT_FORM:
        for cli in ("--protocol", "--port", "--cidr", "--source-group", "--group-owner"):
            table[cli] = _Arg(cli, None, "custom")
    return table, frozenset(required)


def _is_option(word: str) -> bool:
    return word.startswith("--")


# ---- values ---------------------------------------------------------------------------------


def _param_file(value: str, option: str) -> str:
    """``file://PATH`` as the file's text (as the AWS CLI reads it); other values unchanged."""
    lowered = value.lower()
    if lowered.startswith(("http://", "https://")):
        raise WhatIfError(
            f"{option} {value}: a what-if never fetches anything; save it and use file://PATH"
        )
    if lowered.startswith(("file://", "fileb://")):
        path = Path(value.split("://", 1)[1]).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise WhatIfError(f"{option} {value}: cannot read {path} ({error.strerror})") from None
        except UnicodeDecodeError:
            raise WhatIfError(f"{option} {value}: {path} is not UTF-8 text") from None
    return value


def _complex(value: str, shape: Any, option: str) -> Any:
    text = value.strip()
    if text.startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError as error:
            raise WhatIfError(f"{option}: invalid JSON ({error})") from None
    if (
        shape.type_name == "structure"
        and list(shape.members) == ["Value"]
        and shape.members["Value"].type_name == "string"
        and "=" not in text
    ):
        return {"Value": value}
    try:
        return shorthand.coerce(shorthand.parse(value), shape)
    except shorthand.ShorthandError as error:
        raise WhatIfError(f"{option}: {error}") from None


def _value(value: str, shape: Any, option: str) -> Any:
    value = _param_file(value, option)
    if shape.type_name in ("structure", "map"):
        return _complex(value, shape, option)
    if shape.type_name == "list":
        text = value.strip()
        if text.startswith("["):
            return _complex(value, shape, option)
        return [_value(value, shape.member, option)]
    try:
        return shorthand.scalar(value, shape)
    except shorthand.ShorthandError as error:
        raise WhatIfError(f"{option}: {error}") from None


def _list(values: list[str], shape: Any, option: str) -> list[Any]:
    if len(values) == 1 and values[0].strip().startswith("["):
        result = _complex(_param_file(values[0], option), shape, option)
        return list(result) if isinstance(result, list) else [result]
    out: list[Any] = []
    for v in values:
        item = _value(v, shape.member, option)
        out.append(item)
    return out


def _sg_short_form(params: dict[str, Any], given: dict[str, str]) -> None:
    """``--protocol tcp --port 443 --cidr … / --source-group …`` → one ``IpPermissions`` item."""
    if params.get("IpPermissions") and given:
        first = next(iter(given))
        raise WhatIfError(f"{first} cannot be combined with --ip-permissions")
    if not given:
        return
    perm: dict[str, Any] = {}
    proto = given.get("--protocol")
    if proto is not None:
        if proto == "all":
            proto = "-1"
        elif proto not in ("tcp", "udp", "icmp") and not (
            proto.lstrip("-").isdigit() and (int(proto) == -1 or 0 <= int(proto) <= 255)
        ):
            raise WhatIfError("--protocol should be one of tcp|udp|icmp|all or a protocol number")
        perm["IpProtocol"] = proto
    port = given.get("--port")
    if port is not None:
        try:
            if port in ("-1", "all"):
                low, high = -1, -1
            elif "-" in port:
                a, b = port.split("-", 1)
                low, high = int(a), int(b)
            else:
                low = high = int(port)
        except ValueError:
            raise WhatIfError("--port should be of the form from[-to] (e.g. 22 or 22-25)") from None
        perm["FromPort"], perm["ToPort"] = low, high
    if "--cidr" in given:
        perm["IpRanges"] = [{"CidrIp": given["--cidr"]}]
    pair: dict[str, str] = {}
    group = given.get("--source-group")
    if group is not None:
        pair["GroupId" if group.startswith("sg-") else "GroupName"] = group
    if "--group-owner" in given:
        pair["UserId"] = given["--group-owner"]
    if pair:
        perm["UserIdGroupPairs"] = [pair]
    params["IpPermissions"] = [perm]


# ---- the command ----------------------------------------------------------------------------


def parse_call(words: list[str]) -> Call:
    """``["aws", "ec2", "create-route", "--route-table-id", …]`` as a :class:`Call`.

    Raises:
        WhatIfError: not an AWS CLI command, an unknown service, operation or option, a value
            that does not parse or that botocore's validator refuses, a required option missing.
    """
    if not words or words[0] != "aws":
        shown = words[0] if words else ""
        raise WhatIfError(f"only AWS CLI commands (aws …) are understood, not {shown!r}")
    rest, glob = _globals(words[1:])
    if len(rest) < 2:
        raise WhatIfError("an AWS CLI command names a service and an operation: aws SERVICE OP …")
    service, operation, args = rest[0], rest[1], rest[2:]
    if service.startswith("-"):
        raise WhatIfError(f"{service} is not an AWS CLI global option vpcdoctor knows")
    model = service_model(service)
    del model
    if operation == "wait":
        if not args or args[0] not in waiter_names(service):
            shown = args[0] if args else ""
            raise WhatIfError(f"'aws {service} wait {shown}' is not an AWS CLI waiter")
        return Call(service=service, operation="wait", api_name="", params={}, globals=glob)
    name = api_name(service, operation)
    if name is None:
        raise WhatIfError(f"'aws {service} {operation}' is not an AWS CLI command")
    params = _parse_args(service, operation, args)
    _validate(service, name, params, operation)
    return Call(service=service, operation=operation, api_name=name, params=params, globals=glob)


def _globals(words: list[str]) -> tuple[list[str], dict[str, str]]:
    rest: list[str] = []
    glob: dict[str, str] = {}
    i = 0
    while i < len(words):
        word = words[i]
        option, _, inline = word.partition("=")
        if option in _REFUSED_OPTIONS:
            raise WhatIfError(f"{option} is not understood in a what-if: write the options out")
        if option in GLOBAL_OPTIONS:
            if GLOBAL_OPTIONS[option]:
                if inline:
                    glob[option[2:]] = inline
                    i += 1
                    continue
                if i + 1 >= len(words):
                    raise WhatIfError(f"{option} needs a value")
                glob[option[2:]] = words[i + 1]
                i += 2
                continue
            glob[option[2:]] = ""
            i += 1
            continue
        rest.append(word)
        i += 1
    return rest, glob


def _parse_args(service: str, operation: str, args: list[str]) -> dict[str, Any]:
    table, required = _arg_table(service, operation)
    params: dict[str, Any] = {}
    custom: dict[str, str] = {}
    i = 0
    while i < len(args):
        word = args[i]
        if not _is_option(word):
            raise WhatIfError(f"unexpected word {word!r} in aws {service} {operation}")
        option, eq, inline = word.partition("=")
        arg = table.get(option)
        if arg is None:
            raise WhatIfError(f"aws {service} {operation} has no option {option}")
        i += 1
        values: list[str] = [inline] if eq else []
        if not eq and arg.style in ("value", "custom"):
            if i >= len(args) or (_is_option(args[i]) and args[i] != "--"):
                raise WhatIfError(f"{option} needs a value")
            values.append(args[i])
            i += 1
        elif not eq and arg.style in ("list", "bool-struct"):
            while i < len(args) and not _is_option(args[i]):
                values.append(args[i])
                i += 1
                if arg.style == "bool-struct":
                    break
        if arg.style == "custom":
            custom[option] = values[0]
        elif arg.style == "flag":
            params[arg.member] = True
        elif arg.style == "no-flag":
            params[arg.member] = False
        elif arg.style == "no-bool-struct":
            params[arg.member] = {"Value": False}
        elif arg.style == "bool-struct":
            params[arg.member] = (
                {"Value": True} if not values else _value(values[0], arg.shape, option)
            )
        elif arg.style == "list":
            if not values:
                raise WhatIfError(f"{option} needs at least one value")
            params[arg.member] = _list(values, arg.shape, option)
        else:
            params[arg.member] = _value(values[0], arg.shape, option)
    if service == "ec2" and operation in _SG_SHORT_FORM:
        _sg_short_form(params, custom)
    missing = sorted(required - params.keys())
    if missing:
        from botocore import xform_name

        names = ", ".join("--" + xform_name(m, "-") for m in missing)
        raise WhatIfError(f"aws {service} {operation} needs {names}")
    return params


def _validate(service: str, name: str, params: dict[str, Any], operation: str) -> None:
    from botocore.validate import ParamValidator

    shape = service_model(service).operation_model(name).input_shape
    if shape is None:
        return
    report = ParamValidator().validate(params, shape)
    if report.has_errors():
        lines = [ln.strip() for ln in report.generate_report().splitlines() if ln.strip()]
        raise WhatIfError(f"aws {service} {operation}: {'; '.join(lines)}")
