"""The README's demo story, driven by the Pilot as a person would, at 80×24 and 120×40.

"Pick ``public-subnet`` and read the answer": the overview loads, typing filters, enter opens
the function, and the answer (internet blocked at the internet gateway, with the fix) is on
screen without a target typed. Then the checklist forward and back and in Japanese, a DNS probe
against a real server on 127.0.0.1, an export with its context, help and one-press esc.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Tree

from tests.functional.tui.conftest import SIZES, Recorder
from tests.support.dns_servers import DnsServer, authoritative
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.messages import AccountLoaded, DnsProbed, WalkFinished
from vpcdoctor.tui.screens.checklist import ChecklistScreen
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.dns import DnsScreen
from vpcdoctor.tui.screens.export import ExportScreen
from vpcdoctor.tui.screens.help import HelpScreen
from vpcdoctor.tui.screens.overview import OverviewScreen
from vpcdoctor.tui.screenshots import ask, settle
from vpcdoctor.tui.widgets.answer import AnswerHeader
from vpcdoctor.tui.widgets.evidence import EvidencePanel
from vpcdoctor.tui.widgets.path import HopList, PathView

pytestmark = pytest.mark.tui


@pytest.fixture
def stripe_dns() -> Iterator[DnsServer]:
    server = DnsServer(
        authoritative("stripe.com", {"api.stripe.com": [("A", "203.0.113.10")]}), name="stripe"
    ).start()
    yield server
    server.stop()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_readme_story_reaches_the_answer_without_typing_a_target(
    size: tuple[int, int], tmp_path: Path, recorder: Recorder, stripe_dns: DnsServer
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=size, message_hook=recorder) as pilot:
        # 1. The overview loads the demo in a worker and badges every function.
        await settle(pilot, lambda: bool(recorder.of(AccountLoaded)))
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        await settle(
            pilot, lambda: all(a.badge.value != "pending" for a in overview.badges.values())
        )

        # Typing filters; enter opens the best match at once (even before the tree redraws).
        await pilot.press(*"public-subnet", "enter")
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.function == "public-subnet"

        # 2. The answer is there: nothing was typed into the target box.
        assert screen.query_one("#target", Input).value == ""
        result = screen.result
        assert result is not None and result.target.input == "internet"
        assert str(result.verdict) == "unreachable"
        blocking = result.blocking
        assert blocking is not None and blocking.kind == "internet-gateway" and blocking.fix
        answer = screen.query_one("#answer", AnswerHeader)
        assert "UNREACHABLE" in answer.text and blocking.code in answer.text
        assert screen.region.contains_region(answer.region), "the answer is cut off"

        # The blocking hop is selected in the numbered path, its evidence below; keys work
        # at once (the focus is on the path, not in a text box).
        assert isinstance(app.focused, HopList)
        paths = screen.query_one("#paths", PathView)
        assert paths.selected is blocking
        panel = screen.query_one("#evidence", EvidencePanel)
        assert panel.hop is blocking and blocking.code in panel.text.plain
        await pilot.press("up")
        assert paths.selected is not blocking and panel.hop is paths.selected

        # 3. The checklist, at once, forward and back, then in Japanese.
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen) and checklist.walk is not None
        statuses = [str(f.status) for f in checklist.walk.steps]
        start = checklist.index
        assert statuses[start] == "fail"  # answer first
        await pilot.press("n")
        assert checklist.index == min(start + 1, len(statuses) - 1)
        await pilot.press("p")
        assert checklist.index == start
        english = checklist.walk.steps[start].title
        await pilot.press("l")
        await settle(pilot, lambda: checklist.walk is not None and checklist.walk.lang == "ja")
        assert checklist.index == start and checklist.walk.steps[start].title != english
        assert [m.lang for m in recorder.of(WalkFinished)] == ["en", "ja"]
        await pilot.press("l")
        await settle(pilot, lambda: checklist.walk is not None and checklist.walk.lang == "en")
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is screen

        # 4. Another target is one key away; then DNS against a real server on 127.0.0.1.
        await ask(pilot, "api.stripe.com")
        assert screen.result is not None and screen.result.target.input == "api.stripe.com"
        await pilot.press("d")
        await settle(pilot, lambda: getattr(app.screen, "resolution", None) is not None)
        dns_screen = app.screen
        assert isinstance(dns_screen, DnsScreen)
        simulated = dns_screen.resolution
        await pilot.click("#nameservers")
        await pilot.press(*stripe_dns.address, "ctrl+r")
        await settle(pilot, lambda: bool(dns_screen.probes))
        (probed,) = recorder.of(DnsProbed)
        (probe,) = probed.results
        assert str(probe.outcome) == "answer" and probe.addresses == ("203.0.113.10",)
        assert ("api.stripe.com", "A") in stripe_dns.queries
        assert dns_screen.resolution is simulated  # a probe never replaces the simulation
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is screen

        # 5. Export: it asks where (an absolute path in the current directory), and the
        # Markdown says which account, Region and snapshot it comes from.
        await pilot.press("e")
        await settle(pilot)
        export = app.screen
        assert isinstance(export, ExportScreen) and export.document.extension == "md"
        path_input = export.query_one("#export-path", Input)
        assert Path(path_input.value).is_absolute()
        target_file = tmp_path / "ticket.md"
        path_input.value = str(target_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        text = target_file.read_text(encoding="utf-8")
        assert "public-subnet" in text and "api.stripe.com" in text
        assert "- Account: 482917365014" in text and "- Region: ap-northeast-1" in text
        assert "- Configuration: demo account" in text
        assert (target_file.stat().st_mode & 0o777) == 0o600

        # 6. Help lists this screen's keys, each once.
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = [key for key, _ in help_screen.rows]
        assert len(keys) == len(set(keys)), keys
        assert {"y", "f", "o", "j", "c", "d", "e", "t"} <= set(keys)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        # 7. Esc: back to the overview in one press, with the filter reset.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is overview
        assert overview.query_one("#filter", Input).value == ""
        tree = overview.query_one("#functions", Tree)
        assert len(overview._leaves) == len(app.account.functions)  # type: ignore[union-attr]
        assert app.focused is tree


async def test_command_palette_lists_the_screen_actions(demo_account: Account) -> None:
    from vpcdoctor.tui.commands import ScreenCommands

    app = make_app(account=demo_account, demo=True, function="public-subnet")
    async with app.run_test(size=SIZES[1]) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        provider = ScreenCommands(app.screen)
        titles = [str(hit.text) async for hit in provider.search("checklist")]
        assert any("Checklist" in t for t in titles)
        titles = [str(hit.text) async for hit in provider.search("copy")]
        assert any("Copy id" in t for t in titles) and any("Copy fix" in t for t in titles)
        titles = [str(hit.text) async for hit in provider.search("console")]
        assert any("Console" in t for t in titles)
