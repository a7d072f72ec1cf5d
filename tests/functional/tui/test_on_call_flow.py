"""Issue 16, "Seen, to fix": one Pilot test per item, each at 80×24 and at 120×40.

Each test drives the demo account the way the issue's sessions did and asserts what a person
sees (widget state and the rendered text), so it fails on the behaviour the issue reported.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from tests.functional.tui.conftest import SIZES
from vpcdoctor.graph.model import Account
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screens.checklist import ChecklistScreen
from vpcdoctor.tui.screens.diagnosis import DiagnosisScreen
from vpcdoctor.tui.screens.dns import DnsScreen
from vpcdoctor.tui.screens.help import HelpScreen
from vpcdoctor.tui.screens.overview import OverviewScreen
from vpcdoctor.tui.screens.text_view import TextViewScreen
from vpcdoctor.tui.screenshots import ask, open_function, overview, settle
from vpcdoctor.tui.widgets.answer import AnswerHeader
from vpcdoctor.tui.widgets.evidence import EvidencePanel
from vpcdoctor.tui.widgets.path import HopList, PathView, hop_rows

pytestmark = [
    pytest.mark.tui,
    pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}"),
]


def _rows_text(screen: Any) -> list[str]:
    hops = screen.query_one("#hops", HopList)
    return [str(hops.get_option_at_index(i).prompt) for i in range(hops.option_count)]


# 1 --------------------------------------------------------------------------------------------
async def test_opening_a_function_diagnoses_it_at_once(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "inventory-sync")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        assert screen.result is not None and screen.result.target.input == "internet"
        assert str(screen.result.verdict) == "unreachable"
        assert screen.query_one("#target", Input).value == ""  # nothing typed
        # The other audited targets are one digit away, without asking again.
        answers = [r.target.input for r in screen.answers]
        assert answers[:2] == ["internet", "s3"]
        await pilot.press("2")
        await settle(pilot)
        assert screen.result.target.input == "s3"
        await pilot.press("1")
        assert screen.result.target.input == "internet"
        # Keys work at once: c opens the checklist (the focus is not in a text box).
        assert not isinstance(app.focused, Input)
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.targets == ["internet"]
        await pilot.press("backspace")
        await settle(pilot)
        # The target box is one key away.
        await pilot.press("t")
        assert isinstance(app.focused, Input) and app.focused.id == "target"


# 2 --------------------------------------------------------------------------------------------
async def test_the_path_is_numbered_one_hop_a_line_every_label_unique(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "etl-loader")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        view = screen.query_one("#paths", PathView)
        for index, path in enumerate(screen.result.paths):
            if index:
                await pilot.press("right")  # the same hop in the next subnet
                await settle(pilot)
            assert view.path is path
            rows = _rows_text(screen)
            assert len(rows) == len(path.hops)
            labels = [
                re.sub(r"^\s*\d+\s+", "", row).replace("◀ blocks", "").strip() for row in rows
            ]
            assert len(set(labels)) == len(labels), Counter(labels).most_common(3)
            assert [int(row.split()[0]) for row in rows] == list(range(1, len(rows) + 1))
            # NACL hops say which way and which subnet (the function's, then the NAT's).
            nacl = [label for label in labels if label.split()[1] == "NACL"]
            assert any(" out " in f" {x} " for x in nacl) and any(" in " in f" {x} " for x in nacl)
            assert all("prod-core" in x for x in nacl), nacl
            assert len({x.split()[-1] for x in nacl}) == 2, nacl
        # Every hop is one row of the terminal: none wraps, none is cut to a fragment.
        hops = screen.query_one("#hops", HopList)
        assert hops.virtual_size.height == hops.option_count
        blocking = view.selected
        assert blocking is not None and str(blocking.status) == "fail"
        # The selected (blocking) hop is on screen, whole: its row fits the list's width.
        index = hops.highlighted
        assert index is not None
        assert hops.scroll_offset.y <= index < hops.scroll_offset.y + hops.content_region.height
        row = str(hops.get_option_at_index(index).prompt).rstrip()
        assert len(row) <= hops.content_region.width, row
        # A reachable path shows the stateless replies too, marked as returns.
        reachable = next(
            p
            for r in app.session.audits["inventory-sync"].results
            for p in r.paths
            if str(p.verdict) == "reachable" and r.target.input == "internet"
        )
        rows = [row.plain for row in hop_rows(reachable, app.subnet_names)]
        assert any("in (return)" in row for row in rows) and any(
            "out (return)" in row for row in rows
        )
        assert len({r.split(" ", 2)[2] for r in rows}) == len(rows)


async def test_lambda_only_paths_read_distinct(
    size: tuple[int, int], demo_account: Account
) -> None:
    """webhook-relay showed ``λ → λ → internet internet``: each hop says what it checked."""
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "webhook-relay")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        rows = hop_rows(screen.result.paths[0], app.subnet_names)
        labels = [row.plain.split(" ", 1)[1].strip() for row in rows]
        assert len(set(labels)) == len(labels), labels
        assert "internet internet" not in " ".join(labels)


# 3 --------------------------------------------------------------------------------------------
async def test_warnings_are_sentences_once_with_the_code_small(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "fixed-ip-caller")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        result = screen.result
        assert {w.code for w in result.warnings} == {"EIP_ON_LAMBDA_ENI"}
        assert len(result.warnings) == 2  # raised once per subnet by the engine
        answer = screen.query_one("#answer", AnswerHeader).text
        assert answer.count("EIP_ON_LAMBDA_ENI") == 1
        assert "unsupported trick" in answer  # the sentence, not only the code
        # The IGW hop says "see the warning": its evidence shows the warning itself.
        hops = screen.query_one("#hops", HopList)
        view = screen.query_one("#paths", PathView)
        assert view.path is not None
        igw = next(i for i, h in enumerate(view.path.hops) if h.kind == "internet-gateway")
        hops.highlighted = igw
        await settle(pilot)
        evidence = screen.query_one("#evidence", EvidencePanel).text.plain
        assert "see the warning" in evidence and "unsupported trick" in evidence
        # The overview's side panel and tree: sentences too.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        audit = app.screen.badges["fixed-ip-caller"]
        assert "EIP_ON_LAMBDA_ENI" not in audit.short
        app.screen._show_detail("fixed-ip-caller")
        detail = str(app.screen.query_one("#function-detail", Static).render())
        assert "unsupported trick" in detail and detail.count("EIP_ON_LAMBDA_ENI") == 1


# 4 --------------------------------------------------------------------------------------------
async def test_badge_tree_and_side_panel_come_from_one_source(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await overview(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        audit = screen.badges["image-resizer"]
        blocked = [t for t, verdict, _ in audit.targets if verdict == "unreachable"]
        assert len(blocked) > 2
        # The tree names as many blocked targets as the panel marks ✘ (two, then "+N").
        assert f"+{len(blocked) - 2} ✘" in audit.short
        screen._show_detail("image-resizer")
        detail = str(screen.query_one("#function-detail", Static).render())
        assert detail.splitlines()[1] == "✘ blocked"  # the badge itself
        marked = [line for line in detail.splitlines()[2:] if line.startswith("✘ ")]
        assert len(marked) == len(blocked) + len(audit.failing_steps)
        assert [line.split()[1] for line in marked[: len(blocked)]] == blocked


# 5 --------------------------------------------------------------------------------------------
async def test_a_mixed_verdict_says_which_subnet_fails_first(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "inventory-sync")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        failing = [p for p in screen.result.paths if str(p.verdict) == "unreachable"]
        assert len(failing) == 1 and len(screen.result.paths) == 2
        header = screen.query_one("#answer", AnswerHeader)
        first = header.text.splitlines()[0]
        assert first.startswith(f"✘ FAILS FROM {failing[0].subnet} ({failing[0].az}) ONLY")
        assert "about half the invocations" in header.text
        assert "UNREACHABLE" not in header.text  # not read as a total failure
        assert header.has_class("-mixed")
        assert screen.result.to_json()["verdict"] == "unreachable"  # the JSON stays
        # The path opens on the failing subnet.
        assert screen.query_one("#paths", PathView).path is failing[0]


# 6 --------------------------------------------------------------------------------------------
async def test_esc_returns_in_one_press_and_the_filter_resets(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await overview(pilot)
        base = app.screen
        await pilot.press(*"webhook")
        await settle(pilot)
        for name in ("orders-api", "etl-loader", "hr-sync", "s3-ingest"):  # as from ctrl+p
            app.open_function(name)
            await settle(pilot)
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.screen, ChecklistScreen))
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")  # closes the modal
        await settle(pilot)
        await pilot.press("escape")  # one press from the checklist, three deep
        await settle(pilot)
        assert app.screen is base and len(app.screen_stack) == 1
        filter_input = base.query_one("#filter", Input)
        assert filter_input.value == ""
        await pilot.press(*"invent")
        await settle(pilot)
        assert filter_input.value == "invent"  # a new filter, not "webhookinvent"
        # Enter on an empty list says why.
        filter_input.value = "no-such-function"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        assert any("No function matches" in n and "esc clears" in n for n in notes), notes
        assert isinstance(app.screen, OverviewScreen)


# 7 --------------------------------------------------------------------------------------------
async def test_suggestions_filter_as_you_type_vpc_names_first(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    app.session.remember("secretsmanager")
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "erp-connector")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen)
        values = [c.value for c in screen.candidates]
        assert values.index("erp.corp.internal") < values.index("secretsmanager")
        await pilot.press("t", *"erp")
        await settle(pilot)
        options = screen.query_one("#suggestions", OptionList)
        assert options.display and options.region.height > 0
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [s.split()[0] for s in shown] == ["erp.corp.internal"]
        await pilot.press("down", "enter")
        await settle(
            pilot,
            lambda: screen.result is not None and screen.result.target.input == "erp.corp.internal",
        )
        assert not screen.query_one("#suggestions").has_class("-open")


# 8 --------------------------------------------------------------------------------------------
async def test_security_group_evidence_lists_the_rules(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "invoice-renderer")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        blocking = screen.result.blocking
        assert blocking is not None and blocking.kind == "security-group"
        group = demo_account.security_groups[blocking.resource or ""]
        evidence = screen.query_one("#evidence", EvidencePanel).text.plain
        assert "Rules evaluated" in evidence and "ingress rules" not in evidence
        for rule in group.ingress:
            assert str(rule) in evidence
        # Why each rule did not match (the engine says it beside the rule).
        assert sum(1 for item in blocking.evidence if ": " in item.text) == len(group.ingress)
        assert "none of these rules allows it" in evidence
        # A passing group marks the rule that matched.
        view = screen.query_one("#paths", PathView)
        assert view.path is not None
        own = next(i for i, h in enumerate(view.path.hops) if h.kind == "security-group")
        screen.query_one("#hops", HopList).highlighted = own
        await settle(pilot)
        evidence = screen.query_one("#evidence", EvidencePanel).text.plain
        assert "▶" in evidence and "allows" in evidence


# 9 --------------------------------------------------------------------------------------------
async def test_the_vpc_resolver_is_not_probed_from_outside(
    size: tuple[int, int], demo_account: Account
) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "dashboard-api")
        await ask(pilot, "api.corp.internal")
        await pilot.press("d")
        await settle(pilot, lambda: getattr(app.screen, "resolution", None) is not None)
        screen = app.screen
        assert isinstance(screen, DnsScreen)
        simulated = screen.resolution
        assert simulated is not None and str(simulated.outcome) == "nxdomain"
        await pilot.press("ctrl+r")
        await settle(pilot)
        shown = str(screen.query_one("#probed", Static).render())
        assert "was not probed" in shown and "only answers inside" in shown
        assert screen.probes == ()  # nothing was sent to 10.60.0.2
        assert screen.resolution is simulated


# 10 -------------------------------------------------------------------------------------------
async def test_the_copy_key_says_how_and_offers_the_text(
    size: tuple[int, int], demo_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "public-subnet")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        blocking = screen.result.blocking
        assert blocking is not None
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == blocking.resource  # sent as OSC 52
        notes = [str(n.message) for n in app._notifications]
        assert any("OSC 52" in n and "v shows it" in n for n in notes), notes
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, TextViewScreen) and app.screen.text == blocking.resource
        await pilot.press("escape")
        await settle(pilot)
        # Under tmux with set-clipboard external, OSC 52 is dropped: when nothing else can
        # copy, the text is offered to select instead of a false "Copied".
        monkeypatch.setenv("TMUX", "/nonexistent/socket,1,0")
        monkeypatch.setenv("PATH", "/nonexistent")
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, TextViewScreen)
        assert "\n" not in app.screen.text and app.screen.text.startswith("aws lambda")


# 12 -------------------------------------------------------------------------------------------
async def test_help_lists_each_key_once(size: tuple[int, int], demo_account: Account) -> None:
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        for scene in ("overview", "diagnosis", "checklist"):
            if scene == "diagnosis":
                await open_function(pilot, "public-subnet")
            elif scene == "checklist":
                await pilot.press("c")
                await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
            else:
                await overview(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            keys = [key for key, _ in help_screen.rows]
            texts = [text for _, text in help_screen.rows]
            assert len(keys) == len(set(keys)), keys
            assert len(texts) == len(set(texts)), texts
            assert not ({"ctrl+t", "^t"} <= set(keys))
            await pilot.press("escape")
            await settle(pilot)


# 14 -------------------------------------------------------------------------------------------
async def test_user_text_never_names_internal_sources(
    size: tuple[int, int], demo_account: Account
) -> None:
    """nightly-batch's nat-endpoints fix said "Seed 000's appendix A" ("seed 000 付録 A")."""
    from vpcdoctor.diagnostics.checklist import walk

    for lang in ("en", "ja"):
        for name in sorted(demo_account.functions):
            for finding in walk(demo_account, name, lang=lang).steps:
                text = " ".join(
                    [finding.title, finding.why, *finding.checks, *finding.evidence]
                    + [f.text for f in finding.fixes]
                )
                assert not re.search(r"(?i)\bseed\s*0\d\d|付録", text), (name, finding.id, lang)
    app = make_app(account=demo_account, demo=True, lang="ja")
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "nightly-batch")
        await pilot.press("c")
        await settle(pilot, lambda: getattr(app.screen, "walk", None) is not None)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.walk is not None
        screen.show_step([f.id for f in screen.walk.steps].index("nat-endpoints"))
        await settle(pilot)
        shown = str(screen.query_one("#step").render()) + str(
            screen.query_one("#step-more").render()
        )
        assert "seed" not in shown.lower() and "付録" not in shown
        assert "AWS PrivateLink" in shown


# 16 -------------------------------------------------------------------------------------------
async def test_a_udp_target_is_asked_and_said_as_udp(
    size: tuple[int, int], demo_account: Account
) -> None:
    """DNS to an on-premises resolver is udp/53: the TUI takes it and says it is UDP."""
    app = make_app(account=demo_account, demo=True)
    async with app.run_test(size=size) as pilot:
        await open_function(pilot, "erp-connector")
        await ask(pilot, "udp/192.168.10.2:53")
        screen = app.screen
        assert isinstance(screen, DiagnosisScreen) and screen.result is not None
        assert screen.result.target.protocol == "udp"
        assert screen.result.to_json()["target"]["protocol"] == "udp"
        header = screen.query_one("#answer", AnswerHeader).text
        assert "udp/192.168.10.2:53" in header.splitlines()[0]
        bar = str(screen.query_one("#answers", Static).render())
        assert "udp/192.168.10.2:53" in bar
        # The same host over TCP is another answer, said without the prefix.
        await ask(pilot, "192.168.10.2:53")
        assert screen.result.target.protocol == "tcp"
        assert "udp/" not in screen.query_one("#answer", AnswerHeader).text.splitlines()[0]
