"""The CLI as the functional tests call it: in-process, through ``vpcdoctor.cli.main``."""

from __future__ import annotations

import pytest

from vpcdoctor.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``vpcdoctor ARGV…``: its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
