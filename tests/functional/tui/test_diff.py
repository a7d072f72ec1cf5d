"""Issue 15 item 4 (TUI): opening a second snapshot shows the verdicts that changed, with the
changed resources on the path. Two copies of the demo snapshot, differing by one route."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tests.functional.tui.conftest import SIZES
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.diff import DiffScreen
from vpcdoctor.tui.screenshots import overview, settle

pytestmark = pytest.mark.tui

DEMO = Path(__file__).resolve().parents[3] / "graph" / "demo" / "snapshot"
FUNCTION = "billing-reconciler"


def _without_one_route(tmp_path: Path) -> tuple[Path, Path, str]:
    """(old, new, route table): NEW lacks the default route of one of FUNCTION's tables."""
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(DEMO, old)
    shutil.copytree(DEMO, new)
    account = open_account(snapshot=str(old))
    result = check(account, FUNCTION, "internet")
    assert str(result.verdict) == "reachable"
    tables = [
        h.resource
        for h in result.paths[0].hops
        if h.kind == "route-table" and str(h.direction) != "reply"
    ]
    path = new / "ec2" / "describe-route-tables.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for table in data["RouteTables"]:
        if table["RouteTableId"] in tables:
            routes = table["Routes"]
            kept = [r for r in routes if r.get("DestinationCidrBlock") != "0.0.0.0/0"]
            if len(kept) == len(routes) - 1:
                table["Routes"] = kept
                path.write_text(json.dumps(data, indent=2), encoding="utf-8")
                return old, new, table["RouteTableId"]
    raise AssertionError(f"no default route on {tables}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_second_snapshot_shows_the_pairs_that_changed_and_why(
    size: tuple[int, int], tmp_path: Path
) -> None:
    old, new, table = _without_one_route(tmp_path)
    app = make_app(snapshot=str(new))
    async with app.run_test(size=size) as pilot:
        await overview(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "diff-path"
        app.focused.value = str(old)
        await pilot.press("enter")
        await settle(pilot, lambda: screen.diff is not None or screen.error is not None)
        assert screen.error is None and screen.diff is not None
        changed = screen.diff.changed
        assert changed, "the removed route changes some verdict"
        pair = next(p for p in changed if p.function == FUNCTION and p.target.input == "internet")
        assert str(pair.before.verdict) == "reachable"
        assert str(pair.after.verdict) == "unreachable"
        # Every pair listed, one line each; the worse ones first.
        pairs = screen.query_one("#diff-pairs", OptionList)
        assert pairs.option_count == len(changed)
        shown = [str(pairs.get_option_at_index(i).prompt) for i in range(pairs.option_count)]
        assert any(FUNCTION in s and "reachable → ✘ unreachable" in s for s in shown), shown
        assert pairs.virtual_size.height == pairs.option_count
        # The old snapshot is the one opened (its time is not older, it is the one that
        # "worked"), the loaded one is NEW.
        summary = str(screen.query_one("#diff-summary", Static).render())
        assert f"OLD {old}" in summary and f"NEW {new}" in summary
        # The highlighted pair's changed resources: the route table, its route removed.
        pairs.highlighted = [p.function for p in changed].index(FUNCTION)
        await settle(pilot)
        details = str(screen.query_one("#diff-changes", Static).render())
        assert table in details and "route removed: 0.0.0.0/0" in details
        assert pair.resources[0].resource == table  # the one change on the path, listed first
        box = screen.query_one("#diff-changes-box")
        assert screen.region.contains_region(box.region) and box.region.height >= 4
        # Enter opens the function's diagnosis (on the loaded account).
        pairs.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        assert isinstance(app.screen, DiagnosisScreen) and app.screen.function == pair.function


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_missing_second_snapshot_is_an_error_panel(
    size: tuple[int, int], tmp_path: Path
) -> None:
    app = make_app(snapshot=str(DEMO))
    async with app.run_test(size=size) as pilot:
        await overview(pilot)
        app.push_screen(DiffScreen(str(tmp_path / "nowhere")))
        await settle(pilot, lambda: getattr(app.screen, "error", None) is not None)
        screen = app.screen
        assert isinstance(screen, DiffScreen) and screen.error
        assert screen.query_one("#error").has_class("-shown")
