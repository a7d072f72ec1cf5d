"""``vpcdoctor export DIR``: write a live snapshot (read-only calls), or print the CLI script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vpcdoctor.errors import VpcDoctorError


class _ProgressBar:
    """A rich progress bar on stderr fed by the collector's progress events."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("[bold]collecting[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[calls]} calls · {task.fields[gaps]} gaps"),
            TextColumn("{task.fields[current]}", markup=False),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("collect", total=None, calls=0, gaps=0, current="")

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, event: object) -> None:
        from vpcdoctor.graph.live.collect import ProgressEvent

        if not isinstance(event, ProgressEvent):
            return
        current = event.operation or ""
        if event.owner:
            current += f" {event.owner}"
        self.progress.update(
            self.task,
            total=event.total or None,
            completed=event.done,
            calls=event.calls,
            gaps=event.gaps,
            current=current,
        )


def run(args: argparse.Namespace) -> int:
    from vpcdoctor.graph.live import export

    if args.print_cli:
        sys.stdout.write(export.cli_script(args.dir))
        return 0
    if not args.dir:
        raise VpcDoctorError("export needs DIR (the directory to create), or --print-cli")
    target = Path(args.dir)
    export.check_target(target)  # refuse before spending any AWS call

    from vpcdoctor.cli import error_line
    from vpcdoctor.graph.live.collect import collect_live

    show = sys.stderr.isatty()
    if show:
        with _ProgressBar() as bar:
            collection = collect_live(
                profile=args.profile, region=args.region, function=args.function, progress=bar
            )
    else:
        collection = collect_live(profile=args.profile, region=args.region, function=args.function)
    written = export.write_snapshot(collection, target)
    files = sum(1 for r in collection.operations if r.status == "ok")
    sys.stderr.write(
        error_line(
            f"wrote {files} files to {written} ({collection.calls} API calls, "
            f"account {collection.account_id}, region {collection.region})"
        )
    )
    for gap in collection.gaps:
        owner = f" {gap.owner}" if gap.owner else ""
        sys.stderr.write(
            error_line(f"gap: {gap.kind}{owner}: {gap.reason} (needs {gap.iam_action})")
        )
    return 0
