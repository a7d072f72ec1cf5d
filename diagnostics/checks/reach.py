"""The per-target step ``reach:<target>``: the reachability and DNS answer of
:func:`vpcdoctor.diagnostics.diagnose.check`, as a checklist step.

Not in the registry: it runs once per ``--target`` rather than once per walk.
"""

from __future__ import annotations

from vpcdoctor.diagnostics import diagnose
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model.verdict import HopStatus, Verdict

_STATUS = {
    Verdict.REACHABLE: StepStatus.OK,
    Verdict.UNREACHABLE: StepStatus.FAIL,
    Verdict.UNKNOWN: StepStatus.UNKNOWN,
}


def reach_outcome(ctx: StepContext, target: str) -> Outcome:
    """Ask the engine; a bad TARGET raises (bad invocation), a missing engine is ``unknown``."""
    try:
        result = diagnose.check(ctx.account, ctx.name, target)
    except NotImplementedError:
        return Outcome(
            status=StepStatus.UNKNOWN, evidence=(say("engine_unavailable", target=target),)
        )
    status = _STATUS[result.verdict]
    evidence: list[Say] = [say(f"verdict_{result.verdict}", target=target)]
    for hop in result.dns:
        evidence.append(
            say(
                "dns_hop",
                resource=hop.resource or "-",
                code=hop.code,
                detail=hop.detail,
                status=str(hop.status),
            )
        )
    for path in result.paths:
        evidence.append(say(f"path_{path.verdict}", subnet=path.subnet or "-", az=path.az or "-"))
        for hop in path.hops:
            if hop.status in (HopStatus.FAIL, HopStatus.UNKNOWN):
                evidence.append(
                    say(
                        "hop",
                        resource=hop.resource or "-",
                        kind=hop.kind,
                        code=hop.code,
                        detail=hop.detail,
                        status=str(hop.status),
                    )
                )
    for warning in result.warnings:
        evidence.append(say("warning", code=warning.code, detail=warning.detail))
        if status is StepStatus.OK:
            status = StepStatus.WARN
    fixes: list[Say] = []
    needs: list[str] = []
    blocking = result.blocking
    if blocking is not None:
        evidence.append(
            say(
                "blocking",
                resource=blocking.resource or "-",
                code=blocking.code,
                detail=blocking.detail,
            )
        )
        if blocking.fix:
            fixes.append(say("engine_fix", engine_fix=blocking.fix))
        if blocking.needs:
            needs.append(blocking.needs)
    return Outcome(status=status, evidence=tuple(evidence), fixes=tuple(fixes), needs=tuple(needs))
