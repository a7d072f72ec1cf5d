"""No output path writes an untrusted string without the one sanitiser (issue 12, Done when).

The hostile snapshot (``tests/data/bad/hostile_names``: a shell injection, a forged line, an
invisible look-alike, OSC 52 / C1 / RTL, every invisible character the issue lists, lone
surrogates, one character of every Unicode general category) goes through every format the
CLI offers (text, json, markdown, mermaid, dot, graphml, node-link for check; text, json,
markdown for audit and walk; text and json for dns), stderr, the TUI's screens and its
clipboard. Each output must:

* hold no unsafe character (:func:`vpcdoctor.sanitise.unsafe`) other than its own line feeds,
  and encode as UTF-8 (a lone surrogate used to crash five formats: item 7);
* show each hostile value in the sanitiser's visible form (so it went through it, and was
  not silently dropped: ``orders\\u2063-api`` ≠ ``orders-api``, item 6);
* never start a line with the forged text (items 3 and 5);
* JSON: parse back to the snapshot's original values;
* GraphML: parse as XML (item 4);
* never print the injected name unquoted in a command (item 1).

A new ``--format`` choice makes :func:`test_the_enumeration_covers_every_format` fail until it
is added here.
"""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT
from tests.unit.security.hostile_corpus import FORGED, INJECTION, LOOKALIKE, NAMES, TERMINAL
from vpcdoctor.cli import build_parser, main
from vpcdoctor.diagnostics.safe_text import markdown_inline
from vpcdoctor.diagnostics.walk_report import _EMOJI
from vpcdoctor.sanitise import clean, unsafe

HOSTILE = ROOT / "tests" / "data" / "bad" / "hostile_names"
TARGET = "api.stripe.com"

FORMATS = {
    "check": ["text", "json", "markdown", "mermaid", "dot", "graphml", "node-link"],
    "audit": ["text", "json", "markdown"],
    "walk": ["text", "json", "markdown"],
    "dns": ["text", "json"],
    "diff": ["text", "json", "markdown"],
}


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCDOCTOR_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "400")  # rich tables wide enough to keep names whole


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def assert_safe(text: str, where: str) -> None:
    """No unsafe character but the format's own line feeds; encodable; no forged line."""
    for own in _EMOJI.values():  # vpcdoctor's own status marks (⚠️ holds a U+FE0F)
        text = text.replace(own, "")
    bad = sorted({f"U+{ord(c):04X}" for c in text if unsafe(c) and c != "\n"})
    assert not bad, f"{where}: unsafe characters reached the output: {bad}"
    text.encode("utf-8")  # no lone surrogate
    for line in text.splitlines():
        stripped = line.lstrip(" │|>#*-")
        assert not stripped.startswith(("FORGED", "vpcdoctor: orders-api →")), (where, line)


def assert_no_unquoted_injection(text: str, where: str) -> None:
    """The injected name is never a bare word of a command (quoted or refused instead)."""
    assert f"--function-name {INJECTION}" not in text, where
    assert f'for {INJECTION}"' not in text, where  # inside double quotes it would expand
    for line in text.splitlines():
        if "aws " in line and "x;touch" in line:
            words = shlex.split(line.split("aws ", 1)[1], comments=True)
            # one quoted word, never a ';' (Markdown shows it escaped: \\# renders as #)
            assert {INJECTION, markdown_inline(INJECTION)} & set(words), (where, line)


def _shown(text: str, value: str, *, markdown: bool = False) -> bool:
    form = markdown_inline(value) if markdown else clean(value)
    return form in text


# --------------------------------------------------------------------------------------------


def test_the_enumeration_covers_every_format() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    offered: dict[str, list[str]] = {}
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        for action in command._actions:
            if action.dest == "format":
                offered[name] = list(action.choices or ())
    assert offered == FORMATS


@pytest.mark.parametrize("fmt", FORMATS["check"])
@pytest.mark.parametrize("key", sorted(NAMES))
def test_check_every_format(capsys: pytest.CaptureFixture[str], fmt: str, key: str) -> None:
    name = NAMES[key]
    code, out, err = _run(
        capsys, "check", "--snapshot", str(HOSTILE), "-f", name, "-t", TARGET, "--format", fmt
    )
    assert code == 1, err
    assert_safe(out, f"check {fmt}")
    if fmt == "json" or fmt == "node-link":
        document = json.loads(out)
        if fmt == "json":
            assert document["function"] == name  # the original value, byte for byte
            assert any(w["code"] == "SUSPICIOUS_IDENTIFIER" for w in document["warnings"])
        else:
            assert f"lambda:{name}" in {n["id"] for n in document["nodes"]}
        return
    if fmt == "graphml":
        root = ET.fromstring(out)
        ids = {n.get("id") for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
        assert f"lambda:{clean(name)}" in ids
        return
    if fmt == "dot":
        escaped = clean(name).replace("\\", "\\\\").replace('"', '\\"')
        assert f'"lambda:{escaped}"' in out
        return
    if fmt == "mermaid":
        assert "\n" not in clean(name) and "Lambda " in out
        return
    assert _shown(out, name, markdown=fmt == "markdown"), f"{key} not shown escaped in {fmt}"
    assert "SUSPICIOUS_IDENTIFIER" in out
    assert_no_unquoted_injection(out, f"check {fmt}")


@pytest.mark.parametrize("fmt", FORMATS["audit"])
def test_audit_every_format(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = _run(capsys, "audit", "--snapshot", str(HOSTILE), "-t", TARGET, "--format", fmt)
    assert code == 1
    assert_safe(out, f"audit {fmt}")
    if fmt == "json":
        names = {f["function"] for f in json.loads(out)["functions"]}
        assert names == {*NAMES.values(), "orders-api"}
        return
    for key, name in NAMES.items():
        if fmt == "text":  # a table cell may wrap a long value; its start is always there
            assert clean(name)[:20] in out, key
        else:
            assert _shown(out, name, markdown=True), key
    shown = clean(LOOKALIKE) if fmt == "text" else markdown_inline(LOOKALIKE)
    assert shown in out and shown != "orders-api"  # the look-alike reads differently


@pytest.mark.parametrize("fmt", FORMATS["walk"])
@pytest.mark.parametrize("key", ["injection", "forged", "terminal", "surrogate", "every-category"])
def test_walk_every_format(capsys: pytest.CaptureFixture[str], fmt: str, key: str) -> None:
    name = NAMES[key]
    code, out, err = _run(
        capsys, "walk", "--snapshot", str(HOSTILE), "-f", name, "-t", TARGET, "--format", fmt
    )
    assert code in (0, 1), err
    assert_safe(out, f"walk {fmt}")
    if fmt == "json":
        assert json.loads(out)["function"] == name
        return
    assert_no_unquoted_injection(out, f"walk {fmt}")
    assert "SUSPICIOUS_IDENTIFIER" in out.replace("\\_", "_")
    if fmt == "markdown":
        assert _shown(out, name, markdown=True)


@pytest.mark.parametrize("fmt", FORMATS["dns"])
@pytest.mark.parametrize("key", ["surrogate", "terminal", "forged"])
def test_dns_every_format(capsys: pytest.CaptureFixture[str], fmt: str, key: str) -> None:
    code, out, err = _run(
        capsys, "dns", NAMES[key], "--snapshot", str(HOSTILE), "-f", "orders-api", "--format", fmt
    )
    assert code in (0, 1, 2, 3), err
    assert_safe(out + err, f"dns {fmt}")
    if fmt == "json" and code != 2:
        json.loads(out)


@pytest.mark.parametrize("fmt", FORMATS["diff"])
def test_diff_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    import shutil

    new = tmp_path / "new"
    shutil.copytree(HOSTILE, new)
    table = new / "ec2" / "describe-route-tables.json"
    document = json.loads(table.read_text())
    document["RouteTables"][0]["Routes"] = document["RouteTables"][0]["Routes"][:1]
    table.write_text(json.dumps(document))
    code, out, err = _run(capsys, "diff", str(HOSTILE), str(new), "-t", TARGET, "--format", fmt)
    assert code in (0, 1), err
    assert_safe(out, f"diff {fmt}")


def test_stderr_names_files_and_values_on_one_safe_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Item 5: a file whose name holds OSC 52 and a forged line, and a function name that
    is not found, reach stderr as one line of visible escapes."""
    snap = tmp_path / "snap"
    snap.mkdir()
    hostile_file = snap / "bad\x1b]52;c;cm0K\x07\nvpcdoctor: orders-api REACHABLE\n.json"
    hostile_file.write_text("{ not json")
    code, out, err = _run(capsys, "check", "--snapshot", str(snap), "-f", "f", "-t", TARGET)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("vpcdoctor: ")
    assert_safe(err, "stderr")
    assert "bad\\x1b]52;c;cm0K\\x07\\nvpcdoctor: orders-api REACHABLE\\n.json" in err
    code, _, err = _run(
        capsys, "check", "--snapshot", str(HOSTILE), "-f", TERMINAL + FORGED, "-t", TARGET
    )
    assert code == 2 and err.count("\n") == 1
    assert_safe(err, "stderr")


# --------------------------------------------------------------------------------------------
# TUI screens and the clipboard
# --------------------------------------------------------------------------------------------


def _screen_text(app: Any) -> str:
    """Everything the screen draws (the SVG screenshot is the drawn cells, XML-escaped)."""
    svg: str = app.export_screenshot()
    return re.sub(r"<[^>]+>", "", svg)


@pytest.mark.tui
async def test_tui_screens_and_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    from vpcdoctor.graph.sources.snapshot import load_snapshot
    from vpcdoctor.tui.app import make_app
    from vpcdoctor.tui.screens.checklist import ChecklistScreen
    from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
    from vpcdoctor.tui.screenshots import open_function, overview, settle

    for name in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")  # only OSC 52: app.clipboard is what is copied
    app = make_app(account=load_snapshot(HOSTILE))
    async with app.run_test(size=(160, 50)) as pilot:
        await overview(pilot)
        drawn = _screen_text(app)
        assert_safe(drawn.replace("\n", " "), "TUI overview")
        assert "orders\\u2063-api" in drawn  # the look-alike reads differently
        await open_function(pilot, "PWNED")  # the filter finds the injected name
        assert isinstance(app.screen, DiagnosisScreen) and app.screen.result is not None
        assert app.screen.result.function == INJECTION
        assert_safe(_screen_text(app).replace("\n", " "), "TUI diagnosis")
        await pilot.press("f")
        await settle(pilot)
        copied = app.clipboard
        assert copied
        assert_no_unquoted_injection(copied, "clipboard")
        for line in copied.split("\n"):  # one command a line, each a whole command
            assert_safe(line, "clipboard")
            assert re.match(r"(?:[A-Z_]+=\$\()?aws ", line), line
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        assert isinstance(app.screen, ChecklistScreen)
        assert_safe(_screen_text(app).replace("\n", " "), "TUI checklist")
