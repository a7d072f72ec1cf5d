"""The full answer for any TARGET: DNS simulation, then the reachability engine.

(Skeleton: the interface the CLI, the checklist and the TUI rely on. Implementation in progress.)
"""

from __future__ import annotations

from vpcdoctor.graph.model import Account
from vpcdoctor.graph.verdict import CheckResult, Target


def check(account: Account, function: str, target: str | Target) -> CheckResult:
    """Can ``function`` reach ``target``? Host names are resolved as the function's VPC would."""
    raise NotImplementedError
