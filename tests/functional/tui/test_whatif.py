"""Issue 15 item 3 (TUI): the verified plan and "try this fix", both on a copy, at 80×24 and
120×40. The banner says nothing in AWS changed; the account the app holds stays as it was."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList, Static

from tests.functional.tui.conftest import SIZES
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.diagnostics.plan import plan
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.whatif import BANNER, WhatIfScreen
from vpcdoctor.tui.screenshots import ask, open_function, settle
from vpcdoctor.tui.widgets.path import HopList, PathView

pytestmark = [
    pytest.mark.tui,
    pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}"),
]


def _on_screen(screen: Any, widget: Any) -> bool:
    return bool(screen.region.contains_region(widget.region)) and widget.region.height > 0


async def _what_if(pilot: Any, key: str) -> WhatIfScreen:
    await pilot.press(key)
    await settle(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, WhatIfScreen)
            and (pilot.app.screen.outcome is not None or pilot.app.screen.error is not None)
        ),
    )
    screen = pilot.app.screen
    assert isinstance(screen, WhatIfScreen)
    return screen


def _step_prompts(screen: WhatIfScreen) -> list[str]:
    steps = screen.query_one("#whatif-steps", OptionList)
    return [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]


async def test_the_plan_lists_each_step_with_its_command_and_is_verified(
    size: tuple[int, int], demo_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    expected = plan(demo_account, "ledger-writer", "secretsmanager")
    assert expected.verified and len(expected.steps) == 2  # a two-blocker story
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "ledger-writer")
        await ask(pilot, "secretsmanager")
        screen = await _what_if(pilot, "p")
        assert screen.error is None and screen.outcome is not None
        banner = screen.query_one("#whatif-banner", Static)
        assert BANNER in str(banner.render()) and _on_screen(screen, banner)
        prompts = _step_prompts(screen)
        assert len(prompts) == 2
        for prompt, step in zip(prompts, expected.steps, strict=True):
            assert step.code in prompt
            for command in step.commands:
                assert command.text in prompt.replace("\n", " ").replace("   $ ", " ")
        verdict = screen.query_one("#whatif-verdict", Static)
        assert str(verdict.render()).startswith("✔ verified: reachable")
        assert _on_screen(screen, verdict)
        # The new path is the changed copy's: every hop passes.
        view = screen.query_one("#paths", PathView)
        assert view.result is screen.outcome.result_after
        assert view.path is not None and all(str(h.status) == "pass" for h in view.path.hops)
        assert screen.query_one("#hops", HopList).option_count == len(view.path.hops)
        # y copies the highlighted step's commands; a copies the whole plan.
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == "\n".join(c.text for c in expected.steps[0].commands)
        assert app.screen is screen  # said in a notice (OSC 52), no modal in the way
        await pilot.press("a")
        await settle(pilot)
        assert app.clipboard == "\n".join(c.text for c in expected.commands)
    # Nothing changed in the account the app holds.
    again = check(demo_account, "ledger-writer", "secretsmanager")
    assert str(again.verdict) == "unreachable"


async def test_a_plan_that_cannot_get_there_says_where_it_stops(
    size: tuple[int, int], demo_account: Account
) -> None:
    # dashboard-api's private zone is not associated with its VPC, and its VPC has no path to
    # the load balancer's: the plan associates the zone, then stops at what it cannot build.
    target = "https://api.corp.internal"
    expected = plan(demo_account, "dashboard-api", target)
    assert not expected.verified and expected.stopped
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "dashboard-api")
        await ask(pilot, target)
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        assert screen.result.target.input == target
        whatif = await _what_if(pilot, "p")
        verdict = str(whatif.query_one("#whatif-verdict", Static).render())
        assert verdict.startswith(f"✘ not verified: {expected.verdict_after}")
        assert "stops:" in verdict and expected.stopped[:40] in verdict
        assert BANNER in str(whatif.query_one("#whatif-banner", Static).render())
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is screen


async def test_try_this_fix_rechecks_the_copy_and_shows_the_new_path(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "inventory-sync")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        hop = screen.query_one("#paths", PathView).selected
        assert hop is not None and str(hop.status) == "fail" and hop.fixes
        failing = next(p.subnet for p in screen.result.paths if str(p.verdict) == "unreachable")
        whatif = await _what_if(pilot, "w")
        assert whatif.outcome is not None
        assert [s.commands for s in whatif.outcome.steps] == [hop.fixes[0].commands]
        prompt = _step_prompts(whatif)[0]
        assert hop.fixes[0].commands[0].text in prompt.replace("\n", " ").replace("   $ ", " ")
        banner = whatif.query_one("#whatif-banner", Static)
        assert BANNER in str(banner.render()) and _on_screen(whatif, banner)
        assert str(whatif.outcome.result_after.verdict) == "reachable"
        view = whatif.query_one("#paths", PathView)
        # Opened on the subnet that failed before, now passing.
        assert view.path is not None and view.path.subnet == failing
        assert str(view.path.verdict) == "reachable"
        hops = whatif.query_one("#hops", HopList)
        assert _on_screen(whatif, hops)
        # A passing hop has nothing to try.
        await pilot.press("backspace")
        await settle(pilot)
        screen.query_one("#hops", HopList).highlighted = 0
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen is screen
        notes = [str(n.message) for n in app._notifications]
        assert any("no fix to try" in n for n in notes), notes
    assert str(check(demo_account, "inventory-sync", "internet").verdict) == "unreachable"


async def test_the_what_if_banner_and_keys_in_japanese(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True, lang="ja")
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "public-subnet")
        screen = await _what_if(pilot, "p")
        banner = str(screen.query_one("#whatif-banner", Static).render())
        assert "AWS は何も変更していません" in banner
        assert _on_screen(screen, screen.query_one("#whatif-banner", Static))
        footer = screen.query_one("Footer")
        shown = " ".join(str(child.render()) for child in footer.query("*"))
        assert "手順コピー" in shown and "Copy step" not in shown, shown
