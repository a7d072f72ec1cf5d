"""One small registered check per checklist step (PMapper's ``checker_map`` pattern).

Each module ``diagnostics/checks/<step>.py`` registers one function with :func:`register`;
the function reads the :class:`~vpcdoctor.diagnostics.checks.context.StepContext` (the model,
no I/O) and returns a language-neutral :class:`~vpcdoctor.diagnostics.findings.Outcome`. The
words live in ``knowledge/steps/<step>.toml``, keyed by the same id.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType

from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome

CheckFn = Callable[[StepContext], Outcome]

_REGISTRY: dict[str, CheckFn] = {}

STEP_MODULES: tuple[str, ...] = (
    "vpc_needed",
    "public_subnet",
    "multi_az",
    "ip_headroom",
    "nat_endpoints",
    "db_connections",
    "lambda_state",
    "cold_start",
)
"""The modules that register the checklist's steps."""


def register(step_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as the check of ``step_id`` (once; a second registration is a bug)."""

    def decorate(fn: CheckFn) -> CheckFn:
        if step_id in _REGISTRY and _REGISTRY[step_id] is not fn:
            raise RuntimeError(f"step {step_id!r} is registered twice")
        _REGISTRY[step_id] = fn
        return fn

    return decorate


def registered() -> Mapping[str, CheckFn]:
    """Every registered check by step id (importing the step modules on first use)."""
    for name in STEP_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return MappingProxyType(_REGISTRY)


__all__ = ["STEP_MODULES", "CheckFn", "StepContext", "register", "registered"]
