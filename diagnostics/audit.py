"""The audit: every function (or those matching a glob) checked against a few targets.

Used by ``vpcdoctor audit`` (which only parses arguments and prints) and by the TUI's overview,
which badges each function as its row comes in (:func:`iter_audit` yields one row per function,
so a caller can show results before the whole account is done).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from vpcdoctor.diagnostics.diagnose import check, endpoint_services
from vpcdoctor.errors import FunctionNotFound, TargetError
from vpcdoctor.graph.model import Account, EndpointType, LambdaFunction
from vpcdoctor.graph.model.targets import parse_target
from vpcdoctor.graph.model.verdict import CheckResult, Target

__all__ = ["AuditRow", "audit", "audit_function", "default_targets", "iter_audit"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditRow:
    """One function's audit: a result per target, or the error that stopped it."""

    function: str
    vpc: str | None
    """The function's VPC (None when it is not attached to one)."""
    results: tuple[CheckResult, ...]
    """One :class:`CheckResult` per target, in the order the targets were given."""
    error: str | None = None
    """Why the function could not be checked (e.g. a default target the parser refuses)."""


def default_targets(account: Account, fn: LambdaFunction) -> list[str]:
    """The internet, S3, and each AWS service the function's VPC has an endpoint for."""
    targets = ["internet", "s3"]
    vpc_id = account.function_vpc(fn)
    if vpc_id is not None:
        services = sorted(
            {
                v.service_short_name
                for v in account.vpc_endpoints.values()
                if v.vpc_id == vpc_id and v.type in (EndpointType.INTERFACE, EndpointType.GATEWAY)
            }
        )
        targets += [s for s in services if s not in targets]
    return targets


def audit_function(
    account: Account, name: str, targets: Sequence[Target | str] | None = None
) -> AuditRow:
    """Check one function against ``targets`` (or its :func:`default_targets`).

    Raises:
        FunctionNotFound: no function of that name.
    """
    fn = account.functions.get(name)
    if fn is None:
        raise FunctionNotFound(f"no Lambda function named {name!r} in this account")
    wanted: list[Target | str] = list(targets) if targets else list(default_targets(account, fn))
    try:
        results = tuple(check(account, name, t) for t in wanted)
    except TargetError as error:  # e.g. a default target the parser refuses: report, go on
        return AuditRow(function=name, vpc=account.function_vpc(fn), results=(), error=str(error))
    return AuditRow(function=name, vpc=account.function_vpc(fn), results=results)


def _selected(account: Account, pattern: str | None) -> list[str]:
    names = sorted(account.functions)
    if pattern:
        names = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        if not names:
            raise FunctionNotFound(
                f"no Lambda function matches {pattern!r} "
                f"({len(account.functions)} functions in the account)"
            )
    return names


def iter_audit(
    account: Account, *, pattern: str | None = None, targets: Sequence[str] | None = None
) -> Iterator[AuditRow]:
    """Audit function by function, yielding each row as soon as it is known.

    Bad input (an unparsable target, a glob matching nothing) raises before the first row.

    Raises:
        TargetError: a target cannot be parsed.
        FunctionNotFound: ``pattern`` matches no function.
    """
    parsed: list[Target] | None = None
    if targets:
        services = endpoint_services(account)
        parsed = [parse_target(t, services=services) for t in targets]
    names = _selected(account, pattern)
    return (audit_function(account, name, parsed) for name in names)


def audit(
    account: Account, *, pattern: str | None = None, targets: Sequence[str] | None = None
) -> list[AuditRow]:
    """Check every function matching ``pattern`` against ``targets`` (or the defaults)."""
    return list(iter_audit(account, pattern=pattern, targets=targets))
