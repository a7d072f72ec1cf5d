"""vpcdoctor: why can't my Lambda reach X?

The package root is deliberately thin: the version, the exception root and the CLI.
The work happens in ``vpcdoctor.graph`` (snapshot, model, reachability graph),
``vpcdoctor.diagnostics`` (checklist, DNS) and ``vpcdoctor.tui`` (the Textual app).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
