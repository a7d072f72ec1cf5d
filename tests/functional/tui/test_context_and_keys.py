"""Issue 16 item 13 and "Raise the bar": where an answer comes from (header and exports), the
console URL and raw-JSON keys, and the clipboard that says how it copied (issue 12 item 2)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.functional.tui.conftest import SIZES
from vpcdoctor.diagnostics.context import snapshot_context
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.clipboard import clipboard_text, copy
from vpcdoctor.tui.console import console_url
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.export import ExportScreen
from vpcdoctor.tui.screens.text_view import TextViewScreen
from vpcdoctor.tui.screenshots import open_function, settle
from vpcdoctor.tui.widgets.header import AppHeader
from vpcdoctor.tui.widgets.path import HopList, PathView

pytestmark = pytest.mark.tui

DEMO = Path(__file__).resolve().parents[3] / "graph" / "demo" / "snapshot"


def _snapshot(tmp_path: Path, *, collected: datetime | None) -> Path:
    root = tmp_path / "snapshot"
    shutil.copytree(DEMO, root)
    if collected is not None:
        manifest = {
            "account": "482917365014",
            "region": "ap-northeast-1",
            "collected_at": collected.isoformat(),
        }
        (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def test_snapshot_time_comes_from_the_manifest_else_the_newest_file(tmp_path: Path) -> None:
    now = datetime(2026, 12, 1, 8, 2, tzinfo=UTC)
    with_manifest = _snapshot(tmp_path / "a", collected=now - timedelta(hours=18))
    account = open_account(snapshot=str(with_manifest))
    context = snapshot_context(account, snapshot=with_manifest)
    assert context.basis == "manifest"
    assert context.header(now) == (
        "read-only · snapshot 2026-11-30 14:02 UTC (18 h old, from the manifest) · "
        "ap-northeast-1 · account 482917365014"
    )
    bare = _snapshot(tmp_path / "b", collected=None)
    stamp = (now - timedelta(days=3)).timestamp()
    for path in bare.rglob("*.json"):
        import os

        os.utime(path, (stamp, stamp))
    account = open_account(snapshot=str(bare))
    context = snapshot_context(account, snapshot=bare)
    assert context.basis == "newest file"
    assert "(3 days old, newest file's time)" in context.header(now)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_header_and_exports_carry_the_context(size: tuple[int, int], tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, collected=datetime.now(UTC) - timedelta(hours=18))
    app = make_app(snapshot=str(snapshot))
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "inventory-sync")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        header = screen.query_one(AppHeader)
        shown = str(header.query_one("#header-context").render())
        assert shown.startswith("read-only · snapshot ")
        # The header the issue asks for: age, then account, then Region.
        assert re.fullmatch(
            r"read-only · snapshot \d{4}-\d\d-\d\d \d\d:\d\d \(18 h old\) · "
            r"account 482917365014 · ap-northeast-1",
            app.context_line(),
        ), app.context_line()
        await pilot.press("e")
        await settle(pilot)
        export = app.screen
        assert isinstance(export, ExportScreen)
        markdown = export.documents[0].render()  # type: ignore[misc]
        assert "- Account: 482917365014" in markdown and "- Region: ap-northeast-1" in markdown
        assert "18 h old, from the manifest" in markdown
        data = json.loads(export.documents[1].render())  # type: ignore[misc]
        assert data["verdict"] == "unreachable"  # DESIGN's keys stay
        assert data["context"]["basis"] == "manifest" and data["context"]["age"] == "18 h old"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_console_and_raw_json_keys(size: tuple[int, int], demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "inventory-sync")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        blocking = screen.query_one("#paths", PathView).selected
        assert blocking is not None and blocking.resource and blocking.kind == "route-table"
        await pilot.press("o")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TextViewScreen)
        assert view.text == (
            "https://ap-northeast-1.console.aws.amazon.com/vpcconsole/home?region="
            f"ap-northeast-1#RouteTableDetails:RouteTableId={blocking.resource}"
        )
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot, lambda: isinstance(app.screen, TextViewScreen))
        raw = app.screen
        assert isinstance(raw, TextViewScreen)
        record = json.loads(raw.text)
        assert record["RouteTableId"] == blocking.resource
        assert "describe-route-tables" in raw.note
        await pilot.press("escape")
        await settle(pilot)
        # The function's own record: its environment variables are never shown.
        screen.query_one("#hops", HopList).highlighted = 0
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot, lambda: isinstance(app.screen, TextViewScreen))
        assert json.loads(app.screen.text)["FunctionName"] == "inventory-sync"  # type: ignore[attr-defined]


def test_console_urls_only_for_ids_that_look_like_ids() -> None:
    assert console_url("sg-0abc", "security-group", "eu-west-1") == (
        "https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1"
        "#SecurityGroup:groupId=sg-0abc"
    )
    assert console_url(
        "orders-api",
        "lambda",
        "ap-northeast-1",
    ).endswith("#/functions/orders-api")
    assert console_url("rtb-0abc", "nat-gateway", "ap-northeast-1")  # the id's own page
    assert console_url("x;rm -rf ~", "lambda", "ap-northeast-1") is None
    assert console_url("sg-0abc", "security-group", None) is None
    assert console_url("sg-0abc", "security-group", "evil.example/#") is None


# ---- the clipboard (issue 12 item 2, issue 16 item 10) ---------------------------------------
HOSTILE = "x\x1b]52;c;ZXZpbA==\x07\r\nrm -rf ~ \x9b31m\u2028y"


def test_clipboard_text_is_one_clean_line_per_command() -> None:
    text = clipboard_text([f"aws lambda get-function --function-name {HOSTILE}", "aws sts x"])
    lines = text.split("\n")
    assert len(lines) == 2
    for line in lines:
        assert all(ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F for ch in line), line


def test_copy_reports_what_really_happened() -> None:
    sent: list[str] = []
    runs: list[list[str]] = []

    def run(argv: list[str], data: str) -> bool:
        runs.append(argv)
        return argv[0] == "tmux"

    report = copy(
        "abc",
        osc52=sent.append,
        env={"TMUX": "/tmp/x,1,0"},
        run=run,
        tmux_option=lambda name, env: "external",
    )
    assert sent == ["abc"] and runs[0] == ["tmux", "load-buffer", "-w", "-"]
    assert report.certain and "tmux" in report.message() and "OSC 52" not in report.message()
    assert "set-clipboard is external" in report.blocked
    # tmux cannot run, nothing else either: not a false "Copied".
    report = copy(
        "abc",
        osc52=sent.append,
        env={"TMUX": "/tmp/x,1,0"},
        run=lambda argv, data: False,
        tmux_option=lambda name, env: "external",
    )
    assert not report.certain and not report.ways
    assert report.message().startswith("Nothing could copy it here")
    # Outside tmux, OSC 52 only: said as "sent", with what to do if it did not arrive.
    report = copy("abc", osc52=sent.append, env={}, run=lambda argv, data: False)
    assert not report.certain and "OSC 52" in report.message()


@pytest.fixture
def tmux_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real tmux server on a private socket (default options: set-clipboard external)."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    socket = tmp_path / "tmux.sock"
    subprocess.run(
        ["tmux", "-S", str(socket), "new-session", "-d", "-s", "t", "sleep 60"], check=True
    )
    pid = subprocess.run(
        ["tmux", "-S", str(socket), "display", "-p", "#{pid}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import os

    env = {"TMUX": f"{socket},{pid},0", "PATH": os.environ.get("PATH", "")}
    yield env
    subprocess.run(["tmux", "-S", str(socket), "kill-server"], check=False)


def test_copy_into_a_real_tmux_buffer(tmux_server: dict[str, str], monkeypatch: Any) -> None:
    for key, value in tmux_server.items():
        monkeypatch.setenv(key, value)
    sent: list[str] = []
    text = clipboard_text([f"aws lambda x --function-name {HOSTILE}"])
    report = copy(text, osc52=sent.append, env=tmux_server)
    assert report.certain, report
    socket = tmux_server["TMUX"].split(",")[0]
    buffer = subprocess.run(
        ["tmux", "-S", socket, "show-buffer"], capture_output=True, text=True, check=True
    ).stdout
    assert buffer == text and "\x1b" not in buffer and "\n" not in buffer


def test_the_readme_shows_the_numbered_path_the_app_draws(demo_account: Account) -> None:
    from vpcdoctor.diagnostics.diagnose import check
    from vpcdoctor.tui.widgets.path import hop_rows

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\n Path from", 1)[1].split("```", 1)[0].splitlines()[1:]
    result = check(demo_account, "inventory-sync", "internet")
    failing = next(p for p in result.paths if str(p.verdict) == "unreachable")
    names = {i: s.name for i, s in demo_account.subnets.items()}
    drawn = [" " + row.plain.rstrip() for row in hop_rows(failing, names)]
    assert [line.rstrip() for line in block if line.strip()] == drawn
