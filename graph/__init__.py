"""The account, its graph, and the engine that walks it (``vpcdoctor.graph``).

Stages, one package each: :mod:`.sources` (snapshot files, the cache, opening an account),
:mod:`.live` (the read-only boto3 collector and ``export``), :mod:`.model` (typed records and the
:class:`~vpcdoctor.graph.model.Account`), :mod:`.engine` (the networkx graph and the walks over it)
and :mod:`.views` (DOT, GraphML and node-link renderings of the graph).

The library entry points (DESIGN.md, "The library")::

    from vpcdoctor.graph import open_account, build_graph
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vpcdoctor.graph.engine.graph import build_graph
    from vpcdoctor.graph.sources.opener import open_account

__all__ = ["build_graph", "open_account"]


def __getattr__(name: str) -> Any:
    # Lazy: importing a model module must not pay for networkx or the loaders.
    if name == "open_account":
        from vpcdoctor.graph.sources.opener import open_account

        return open_account
    if name == "build_graph":
        from vpcdoctor.graph.engine.graph import build_graph

        return build_graph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
