"""Static checks that are fast enough for every test run: ``ruff check`` on the repository.

mypy (``scripts/typecheck``) is not run here: it takes too long for the test suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_check_is_clean() -> None:
    """``ruff check`` (configured in pyproject.toml) finds nothing in the repository."""
    # Fail rather than skip: a skipped lint would let CI pass unchecked.
    assert RUFF.exists(), f"{RUFF} not found: install the dev extra (pip install -e '.[test,dev]')"
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
