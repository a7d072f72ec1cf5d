"""The README's console examples are real output: each ``$ vpcdoctor …`` block is run and every
line it shows (``...`` elides) appears in the actual output, in order.

``diff`` runs on two copies of the demo, the second with the route the example names removed;
``--assume fix.sh`` uses the ``$ cat fix.sh`` block above it.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from vpcdoctor.cli import main
from vpcdoctor.graph.sources.opener import demo_snapshot_dir

README = Path(__file__).resolve().parents[3] / "README.md"


def _blocks() -> list[tuple[str, list[str]]]:
    """(command line, shown output lines) of every ``console`` block's ``$ vpcdoctor`` line."""
    out = []
    for body in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        lines = body.rstrip("\n").split("\n")
        for i, line in enumerate(lines):
            if line.startswith("$ vpcdoctor "):
                shown = []
                for rest in lines[i + 1 :]:
                    if rest.startswith("$ "):
                        break
                    shown.append(rest)
                out.append((line[2:], shown))
    return out


def _fix_script() -> str:
    text = README.read_text(encoding="utf-8")
    body = re.search(r"\$ cat fix\.sh\n(.*?)\n\$ ", text, re.S)
    assert body is not None
    return body.group(1) + "\n"


def _snapshots(root: Path) -> None:
    old, new = root / "snapshots" / "2026-11-30", root / "snapshots" / "2026-12-01"
    shutil.copytree(demo_snapshot_dir(), old)
    shutil.copytree(demo_snapshot_dir(), new)
    path = new / "ec2" / "describe-route-tables.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for table in doc["RouteTables"]:
        if table["RouteTableId"] == "rtb-0e4235eec76805fd4":
            table["Routes"] = [
                r for r in table["Routes"] if r.get("DestinationCidrBlock") != "0.0.0.0/0"
            ]
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize(("command", "shown"), _blocks(), ids=[c for c, _ in _blocks()])
def test_readme_example_is_real_output(
    command: str,
    shown: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fix.sh").write_text(_fix_script(), encoding="utf-8")
    if " diff " in f" {command} ":
        _snapshots(tmp_path)
    argv = shlex.split(command)[1:]
    main(argv)
    actual = capsys.readouterr().out.splitlines()
    at = 0
    for line in shown:
        if line.strip() in ("...", "…"):
            continue
        while at < len(actual) and actual[at].rstrip() != line.rstrip():
            at += 1
        assert at < len(actual), f"README line not in the output (in order): {line!r}"
        at += 1
