"""The engine as its unit tests call it: on an account built in code, its graph walked."""

from __future__ import annotations

from vpcdoctor.graph.engine.evaluate import evaluate as _evaluate
from vpcdoctor.graph.engine.graph import build_graph
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model import Account, LambdaFunction
from vpcdoctor.graph.model.targets import parse_target
from vpcdoctor.graph.model.verdict import CheckResult, Target


def evaluate(account: Account, fn: LambdaFunction, target: Target) -> CheckResult:
    """Every path of ``fn`` to ``target``, walked over ``build_graph(account)``."""
    return _evaluate(Network(build_graph(account)), fn, target)


def run(account: Account, target: str, fn: str = "fn") -> CheckResult:
    """The engine's answer for function ``fn`` (default ``fn``) and a TARGET string."""
    return evaluate(account, account.functions[fn], parse_target(target))


def blocking(result: CheckResult) -> tuple[str | None, str | None]:
    """(resource, code) of the blocking hop, or (None, None)."""
    b = result.blocking
    return (b.resource, b.code) if b else (None, None)


def fix_of(result: CheckResult) -> str:
    """The blocking hop's fix (there must be a blocking hop)."""
    assert result.blocking is not None, result.to_json()
    return result.blocking.fix or ""
