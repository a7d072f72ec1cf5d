"""The handlers of the what-if vocabulary, one module per area (importing registers them)."""

from __future__ import annotations

from vpcdoctor.graph.whatif.handlers import endpoints, filters, functions_dns, routing

__all__ = ["endpoints", "filters", "functions_dns", "routing"]
