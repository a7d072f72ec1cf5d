"""Regenerate ``screenshots/*.svg`` from the demo account: ``python -m vpcdoctor.tui.screenshots``.

Each scene drives the real app with the Pilot exactly as a person would (the same steps the
Pilot and snapshot tests take, which import :data:`SCENES` from here), then saves an SVG.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from vpcdoctor.graph.model import Account

DEMO_FUNCTION = "public-subnet"
DEMO_TARGET = "api.stripe.com"
NARROW_SCENES = (
    "overview",
    "path",
    "mixed-verdict",
    "hop-evidence",
    "checklist-step-ja",
    "plan",
)
"""Also captured at 80×24 (``<scene>-80x24.svg``): the narrow terminal is where layouts break."""

Scene = Callable[["Pilot[Any]"], Awaitable[None]]


async def settle(
    pilot: Pilot[Any], until: Callable[[], bool] | None = None, timeout: float = 20.0
) -> None:
    """Wait for workers and messages (and ``until``, when given); stop cursors blinking."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if until is None or until() or time.monotonic() > deadline:
            break
        await pilot.pause(0.05)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _audited(pilot: Pilot[Any]) -> bool:
    badges: dict[str, Any] = getattr(pilot.app.screen, "badges", None) or {}
    return bool(badges) and all(a.badge.value != "pending" for a in badges.values())


async def overview(pilot: Pilot[Any]) -> None:
    """The account overview once the quick audit has badged every function."""
    await settle(pilot, lambda: _audited(pilot))


async def filtered(pilot: Pilot[Any]) -> None:
    """Typing filters the overview."""
    await overview(pilot)
    await pilot.press(*"public")
    await settle(pilot)


async def open_function(pilot: Pilot[Any], name: str) -> None:
    """From the overview: type the name, enter, and wait for the first answer (no target typed:
    the diagnosis opens on the quick audit's answers)."""
    await overview(pilot)
    await pilot.press(*name, "enter")
    await settle(
        pilot,
        lambda: (
            type(pilot.app.screen).__name__ == "DiagnosisScreen"
            and getattr(pilot.app.screen, "result", None) is not None
        ),
    )


async def ask(pilot: Pilot[Any], target: str) -> None:
    """``t``, the target, enter (the value is set at once: typing it works the same)."""
    await pilot.press("t")
    pilot.app.screen.query_one("#target", Input).value = target
    await pilot.press("enter")

    def answered() -> bool:
        result = getattr(pilot.app.screen, "result", None)
        return result is not None and bool(result.target.input == target)

    await settle(pilot, answered)


async def diagnosis(pilot: Pilot[Any]) -> None:
    """``public-subnet`` opened: the internet is blocked, answer first, the numbered path."""
    await open_function(pilot, DEMO_FUNCTION)


async def mixed(pilot: Pilot[Any]) -> None:
    """``inventory-sync`` fails from one of its two subnets: said first."""
    await open_function(pilot, "inventory-sync")


async def evidence(pilot: Pilot[Any]) -> None:
    """``invoice-renderer`` → Secrets Manager: the endpoint's security group, every rule it has
    and why none admits the function."""
    await open_function(pilot, "invoice-renderer")


async def warnings(pilot: Pilot[Any]) -> None:
    """``fixed-ip-caller``: reachable, with the warning as a sentence (its code small), once."""
    await open_function(pilot, "fixed-ip-caller")


async def checklist(pilot: Pilot[Any]) -> None:
    """The checklist opened on its first failing step."""
    await diagnosis(pilot)
    await pilot.press("c")
    await settle(pilot, lambda: getattr(pilot.app.screen, "walk", None) is not None)


async def checklist_ja(pilot: Pilot[Any]) -> None:
    """The same step in Japanese (footer and titles too)."""
    await checklist(pilot)
    await pilot.press("l")
    await settle(
        pilot, lambda: getattr(getattr(pilot.app.screen, "walk", None), "lang", "") == "ja"
    )


async def dns(pilot: Pilot[Any]) -> None:
    """The DNS pane for ``api.stripe.com``: the simulated chain (live probes on demand)."""
    await diagnosis(pilot)
    await ask(pilot, DEMO_TARGET)
    await pilot.press("d")
    await settle(pilot, lambda: getattr(pilot.app.screen, "resolution", None) is not None)


async def dns_private_zone(pilot: Pilot[Any]) -> None:
    """``dashboard-api`` asks for ``api.corp.internal``: the zone exists but is not associated
    with its VPC (NXDOMAIN, and the DNS pane names the zone and the fix)."""
    await open_function(pilot, "dashboard-api")
    await ask(pilot, "api.corp.internal")
    await pilot.press("d")
    await settle(pilot, lambda: getattr(pilot.app.screen, "resolution", None) is not None)


async def help_screen(pilot: Pilot[Any]) -> None:
    """``?`` on the diagnosis screen."""
    await diagnosis(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def plan_scene(pilot: Pilot[Any]) -> None:
    """``ledger-writer`` → Secrets Manager: two blockers, the verified plan (``p``), in memory."""
    await open_function(pilot, "ledger-writer")
    await ask(pilot, "secretsmanager")
    await pilot.press("p")
    await settle(pilot, lambda: getattr(pilot.app.screen, "outcome", None) is not None)


async def try_fix(pilot: Pilot[Any]) -> None:
    """``inventory-sync``: the blocking route table's fix tried on a copy (``w``)."""
    await open_function(pilot, "inventory-sync")
    await pilot.press("w")
    await settle(pilot, lambda: getattr(pilot.app.screen, "outcome", None) is not None)


def yesterday_snapshot() -> Path:
    """A copy of the demo snapshot from when ``inventory-sync`` worked: its 1c route table
    still had the NAT route (in the temporary directory, same path every time)."""
    import json
    import shutil
    import tempfile

    from vpcdoctor.graph.sources.opener import demo_snapshot_dir

    root = Path(tempfile.gettempdir()) / "vpcdoctor-demo-yesterday"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(demo_snapshot_dir(), root)
    path = root / "ec2" / "describe-route-tables.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for table in data["RouteTables"]:
        if table["RouteTableId"] == "rtb-0147446a36826914c":
            table["Routes"].append(
                {
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": "nat-0e605d4a9e2f2e141",
                    "Origin": "CreateRoute",
                    "State": "active",
                }
            )
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return root


async def diff_scene(pilot: Pilot[Any]) -> None:
    """``ctrl+o``: yesterday's snapshot against today's: the route that went, on the path."""
    await overview(pilot)
    await pilot.press("ctrl+o")
    await settle(pilot)
    pilot.app.screen.query_one("#diff-path", Input).value = str(yesterday_snapshot())
    await pilot.press("enter")
    await settle(pilot, lambda: getattr(pilot.app.screen, "diff", None) is not None)


SCENES: dict[str, Scene] = {
    "overview": overview,
    "overview-filtered": filtered,
    "path": diagnosis,
    "mixed-verdict": mixed,
    "hop-evidence": evidence,
    "warnings": warnings,
    "checklist-step": checklist,
    "checklist-step-ja": checklist_ja,
    "dns-pane": dns,
    "dns-private-zone": dns_private_zone,
    "help": help_screen,
    "plan": plan_scene,
    "try-fix": try_fix,
}

SCREENSHOT_ONLY: dict[str, Scene] = {"diff": diff_scene}
"""Scenes whose picture shows a temporary path (not compared by the snapshot tests; the Pilot
test of the diff screen checks what it says)."""


async def capture(
    scene: Scene,
    path: Path,
    *,
    account: Account | None = None,
    size: tuple[int, int] = (120, 40),
    lang: str = "en",
) -> None:
    """Run ``scene`` on the demo account and save the screen as SVG at ``path``."""
    from vpcdoctor.tui.app import make_app

    app = make_app(account=account, demo=True, lang=lang)
    async with app.run_test(size=size) as pilot:
        await scene(pilot)
        path.write_text(app.export_screenshot(title=f"vpcdoctor — {path.stem}"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vpcdoctor.tui.screenshots", description=__doc__
    )
    parser.add_argument("--out", default="screenshots", help="directory (default: screenshots)")
    parser.add_argument("--size", default="120x40", help="terminal WIDTHxHEIGHT")
    parser.add_argument("scenes", nargs="*", help=f"scenes (default: all of {', '.join(SCENES)})")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from vpcdoctor.graph.sources.opener import open_account

    account = open_account(demo=True)
    scenes = {**SCENES, **SCREENSHOT_ONLY}
    for name in args.scenes or list(scenes):
        if name not in scenes:
            parser.error(f"unknown scene {name!r}")
        path = out / f"{name}.svg"
        asyncio.run(capture(scenes[name], path, account=account, size=(int(width), int(height))))
        sys.stdout.write(f"{path}\n")
        if name in NARROW_SCENES and not args.scenes:
            narrow = out / f"{name}-80x24.svg"
            asyncio.run(capture(scenes[name], narrow, account=account, size=(80, 24)))
            sys.stdout.write(f"{narrow}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
