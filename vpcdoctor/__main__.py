"""``python -m vpcdoctor``."""

from __future__ import annotations

from vpcdoctor.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
