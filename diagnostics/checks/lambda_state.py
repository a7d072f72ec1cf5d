"""Step 7, ``lambda-state``: State, StateReasonCode and LastUpdateStatus, with the meaning and
the fix of each networking reason code (knowledge-facts §1)."""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model import LambdaState

NETWORK_CODES = (
    "Idle",
    "Creating",
    "Restoring",
    "EniLimitExceeded",
    "InsufficientRolePermissions",
    "InvalidConfiguration",
    "InternalError",
    "SubnetOutOfIPAddresses",
    "InvalidSubnet",
    "InvalidSecurityGroup",
    "EC2RequestLimitExceeded",
    "DisallowedByVpcEncryptionControl",
)
"""StateReasonCode values tied to networking; each has a meaning in ``[<lang>.codes]`` and
(except the transient ones) a fix in ``[fix.<code>]``."""
TRANSIENT = ("Idle", "Creating", "Restoring")


def _explain(code: str | None) -> list[Say]:
    if code and code in NETWORK_CODES:
        return [say(f"codes.{code}", code=code)]
    return []


@register("lambda-state")
def check(ctx: StepContext) -> Outcome:
    fn = ctx.function
    if fn.state is None:
        return Outcome(
            status=StepStatus.UNKNOWN,
            evidence=(say("state_unknown"),),
            needs=(ctx.need("get-function-configuration", fn.name),),
        )
    evidence: list[Say] = [
        say(
            "state",
            state=str(fn.state),
            code=fn.state_reason_code or "-",
            reason=fn.state_reason or "-",
        )
    ]
    codes: list[str] = []
    if fn.last_update_status is not None:
        evidence.append(
            say(
                "last_update",
                status=fn.last_update_status,
                code=fn.last_update_status_reason_code or "-",
                reason=fn.last_update_status_reason or "-",
            )
        )

    status = StepStatus.OK
    if fn.state is LambdaState.ACTIVE:
        if fn.last_update_status == "Failed":
            status = StepStatus.FAIL
            codes.append(fn.last_update_status_reason_code or "")
        elif fn.last_update_status == "InProgress":
            status = StepStatus.WARN
            evidence.append(say("update_in_progress"))
    elif fn.state is LambdaState.PENDING:
        code = fn.state_reason_code or "Creating"
        status = StepStatus.WARN if code in TRANSIENT else StepStatus.FAIL
        evidence.append(say("pending"))
        codes.append(code)
    elif fn.state is LambdaState.INACTIVE:
        status = StepStatus.WARN
        evidence.append(say("inactive"))
        codes.append(fn.state_reason_code or "Idle")
    elif fn.state is LambdaState.FAILED:
        status = StepStatus.FAIL
        codes.append(fn.state_reason_code or "")
    else:
        status = StepStatus.FAIL
        evidence.append(say("not_invocable", state=str(fn.state)))
        codes.append(fn.state_reason_code or "")

    fixes: list[Say] = []
    for code in dict.fromkeys(c for c in codes if c):
        evidence.extend(_explain(code))
        if code in NETWORK_CODES:
            fixes.append(say(code))
        elif status is StepStatus.FAIL:
            evidence.append(say("other_code", code=code))
            fixes.append(say("generic"))
    return Outcome(status=status, evidence=tuple(evidence), fixes=tuple(fixes))
