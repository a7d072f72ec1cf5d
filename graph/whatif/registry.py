"""The vocabulary: which AWS CLI commands a what-if can apply, one handler each.

A handler takes the :class:`~vpcdoctor.graph.whatif.workspace.Workspace` and the command's API
parameters (as :mod:`~vpcdoctor.graph.whatif.options` parsed them) and returns the part of the
operation's response that a ``--query`` can capture (``{"NatGateway": {"NatGatewayId": …}}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vpcdoctor.graph.whatif.workspace import Workspace


class Params(dict[str, Any]):
    """A command's API parameters; a missing one is an error naming its option, not a crash."""

    def __missing__(self, key: str) -> Any:
        from botocore import xform_name

        from vpcdoctor.errors import WhatIfError

        raise WhatIfError(f"give --{xform_name(key, '-')}: a what-if needs it for this command")


Handler = Callable[[Workspace, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[tuple[str, str], Handler] = {}


def handles(service: str, operation: str) -> Callable[[Handler], Handler]:
    """Register the handler of ``aws SERVICE OPERATION``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[(service, operation)] = fn
        return fn

    return register


def vocabulary() -> list[str]:
    """Every command a what-if applies, as ``service operation`` (sorted)."""
    from vpcdoctor.graph.whatif import handlers  # noqa: F401  (registers the handlers)

    return sorted(f"{s} {o}" for s, o in HANDLERS)
