"""The whole guided flow on the demo account, as a person would do it, with the Pilot.

Pick ``public-subnet``, ask about ``api.stripe.com``, see the blocking hop and its evidence,
copy its id, walk the checklist forward and back, switch to Japanese, probe DNS against a real
server on 127.0.0.1, export Markdown to a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import HorizontalScroll
from textual.widgets import Input, Tree

from tests.functional.tui.conftest import Recorder
from tests.support.dns_servers import DnsServer, authoritative
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.messages import AccountLoaded, CheckFinished, DnsProbed, WalkFinished
from vpcdoctor.tui.screens.checklist import ChecklistScreen
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.dns import DnsScreen
from vpcdoctor.tui.screens.export import ExportScreen
from vpcdoctor.tui.screens.help import HelpScreen
from vpcdoctor.tui.screens.overview import OverviewScreen
from vpcdoctor.tui.screenshots import settle
from vpcdoctor.tui.widgets.answer import AnswerHeader
from vpcdoctor.tui.widgets.evidence import EvidencePanel
from vpcdoctor.tui.widgets.path import HopChip, PathDiagram

pytestmark = pytest.mark.tui

SIZE = (120, 40)


@pytest.fixture
def stripe_dns() -> DnsServer:
    server = DnsServer(
        authoritative("stripe.com", {"api.stripe.com": [("A", "203.0.113.10")]}), name="stripe"
    ).start()
    yield server
    server.stop()


async def test_guided_flow_on_the_demo(
    tmp_path: Path, recorder: Recorder, stripe_dns: DnsServer
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        # 1. The overview loads the demo in a worker and badges every function.
        await settle(pilot, lambda: bool(recorder.of(AccountLoaded)))
        assert isinstance(app.screen, OverviewScreen)
        assert app.account is not None and "public-subnet" in app.account.functions

        # Typing filters; enter opens the best match.
        await pilot.press(*"public-subnet")
        await settle(pilot)
        tree = app.screen.query_one("#functions", Tree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "public-subnet"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DiagnosisScreen)
        assert app.screen.function == "public-subnet"
        assert isinstance(app.focused, Input) and app.focused.id == "target"

        # 2. Reach what? Type the target like a person.
        await pilot.press(*"api.stripe.com", "enter")
        screen = app.screen
        await settle(pilot, lambda: screen.result is not None)
        (finished,) = recorder.of(CheckFinished)
        result = finished.result
        assert str(result.verdict) == "unreachable"
        blocking = result.blocking
        assert blocking is not None and blocking.resource

        # 3. The blocking hop is selected and its evidence is on screen.
        assert isinstance(app.focused, HopChip)
        assert app.focused.hop is blocking
        assert app.focused.has_class("-blocking")
        panel = screen.query_one("#evidence", EvidencePanel)
        assert panel.hop is blocking
        shown = str(panel.render())
        assert blocking.code in shown
        assert blocking.resource in shown
        if blocking.fix:
            assert blocking.fix.split()[0] in shown
        answer = screen.query_one("#answer", AnswerHeader).text
        assert "UNREACHABLE" in answer and blocking.code in answer

        # Resource ids are copyable; the fix too.
        await pilot.press("y")
        assert app.clipboard == blocking.resource
        if blocking.fix:
            await pilot.press("f")
            assert app.clipboard == blocking.fix

        # Moving left selects the previous hop and shows its evidence.
        await pilot.press("left")
        await pilot.pause()
        assert isinstance(app.focused, HopChip) and app.focused.hop is not blocking
        assert panel.hop is app.focused.hop

        # 4. The checklist, forward and back, then in Japanese.
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        assert checklist.walk is not None and checklist.walk.lang == "en"
        statuses = [str(f.status) for f in checklist.walk.steps]
        assert "fail" in statuses
        assert checklist.index == statuses.index("fail")  # answer first
        start = checklist.index
        await pilot.press("n")
        assert checklist.index == start + 1
        await pilot.press("p", "p")
        assert checklist.index == max(start - 1, 0)
        await pilot.press("n")
        assert checklist.index == start
        english_title = checklist.walk.steps[start].title
        await pilot.press("l")
        await settle(pilot, lambda: checklist.walk is not None and checklist.walk.lang == "ja")
        assert app.lang == "ja"
        assert checklist.index == start  # the same step, now in Japanese
        japanese_title = checklist.walk.steps[start].title
        assert japanese_title != english_title
        assert any(ord(ch) > 0x3000 for ch in japanese_title)
        assert [m.lang for m in recorder.of(WalkFinished)] == ["en", "ja"]
        await pilot.press("l")
        await settle(pilot, lambda: checklist.walk is not None and checklist.walk.lang == "en")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        # 5. DNS: simulated chain, then a live probe against a server on 127.0.0.1.
        await pilot.press("d")
        await settle(pilot, lambda: getattr(app.screen, "resolution", None) is not None)
        dns_screen = app.screen
        assert isinstance(dns_screen, DnsScreen)
        assert dns_screen.resolution is not None
        assert dns_screen.resolution.name == "api.stripe.com"
        await pilot.click("#nameservers")
        await pilot.press(*stripe_dns.address)
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: bool(dns_screen.probes))
        (probed,) = recorder.of(DnsProbed)
        (probe,) = probed.results
        assert probe.nameserver == stripe_dns.address
        assert str(probe.outcome) == "answer"
        assert probe.addresses == ("203.0.113.10",)
        assert ("api.stripe.com", "A") in stripe_dns.queries
        assert "203.0.113.10" in str(dns_screen.query_one("#probed").render())
        await pilot.press("escape")
        await settle(pilot)

        # 6. Export the diagnosis as Markdown to a file.
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.document.extension == "md"
        target_file = tmp_path / "ticket.md"
        app.screen.query_one("#export-path", Input).value = str(target_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        text = target_file.read_text(encoding="utf-8")
        assert "public-subnet" in text
        assert "api.stripe.com" in text
        assert blocking.code in text
        assert (target_file.stat().st_mode & 0o777) == 0o600

        # The help screen lists this screen's keys.
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert rows["y"] == "Copy the selected hop's resource id to the clipboard"
        assert "c" in rows and "d" in rows and "e" in rows
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_suggestions_offer_internet_services_and_recent(demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True, function="public-subnet")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, DiagnosisScreen))
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        values = [c.value for c in screen.candidates]
        assert "internet" in values and "s3" in values
        # The suggester completes what is typed.
        await pilot.press("s", "e", "c")
        await settle(pilot)
        target = screen.query_one("#target", Input)
        assert target._suggestion == "secretsmanager"
        await pilot.press("right", "enter")
        await settle(pilot, lambda: screen.result is not None)
        assert screen.result is not None and screen.result.target.input == "secretsmanager"
        assert app.session.recent_targets[0] == "secretsmanager"


async def test_command_palette_lists_the_screen_actions(demo_account: Account) -> None:
    from vpcdoctor.tui.commands import ScreenCommands

    app = make_app(
        account=demo_account, demo=True, function="public-subnet", target="api.stripe.com"
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        provider = ScreenCommands(app.screen)
        titles = [str(hit.text) async for hit in provider.search("checklist")]
        assert any("Checklist" in t for t in titles)
        titles = [str(hit.text) async for hit in provider.search("copy")]
        assert any("Copy id" in t for t in titles) and any("Copy fix" in t for t in titles)


async def test_answer_and_every_lanes_blocking_hop_fit_at_80x24(demo_account: Account) -> None:
    """The acceptance bar's screen at its smallest: verdict, blocker and the whole fix without
    scrolling; every lane (not only the focused one) shows its blocking hop, and a lane
    scrolled sideways starts at a chip, not halfway through one."""
    app = make_app(
        account=demo_account, demo=True, function="public-subnet", target="api.stripe.com"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: getattr(app.screen, "result", None) is not None)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        blocking = screen.result.blocking
        assert blocking is not None and blocking.fix

        answer = screen.query_one("#answer", AnswerHeader)
        inside = sum(child.outer_size.height for child in answer.children if child.display)
        assert inside <= answer.content_region.height, "the answer box is cut off"
        assert screen.region.contains_region(answer.region)
        assert blocking.fix in answer.text.replace("\n", " ")

        diagram = screen.query_one("#paths", PathDiagram)
        assert len(diagram.lanes) >= 2
        for chips in diagram.lanes:
            lane = chips[0].parent
            assert isinstance(lane, HorizontalScroll)
            blocked = [c for c in chips if c.blocking]
            assert blocked, "every lane of this answer is blocked"
            assert lane.content_region.contains_region(blocked[0].region)
            start = chips[0].virtual_region.x
            starts = {c.virtual_region.x - start for c in chips}
            assert lane.scroll_offset.x in starts | {0}

        # Walking the lanes with the keys keeps every lane starting at a chip.
        for key in ("left", "left", "left", "down", "right", "right"):
            await pilot.press(key)
            await pilot.pause()
            for chips in diagram.lanes:
                lane = chips[0].parent
                assert isinstance(lane, HorizontalScroll)
                start = chips[0].virtual_region.x
                starts = {c.virtual_region.x - start for c in chips}
                assert lane.scroll_offset.x in starts | {0}, key
            assert isinstance(app.focused, HopChip)
            lane = app.focused.parent
            assert isinstance(lane, HorizontalScroll)
            assert lane.content_region.contains_region(app.focused.region), key
