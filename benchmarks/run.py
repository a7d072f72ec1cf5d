"""The vpcdoctor benchmark: one entry point, figures only (a benchmark never asserts a time).

Usage::

    python benchmarks/run.py                      # large synthetic account + demo, everything
    python benchmarks/run.py --quick              # scale 0.1 account, fewer repeats
    python benchmarks/run.py --large DIR          # an existing snapshot instead of generating
    python benchmarks/run.py --only demo --skip live,tui
    python benchmarks/run.py --json out.json      # also write the figures as JSON

It prints, for the large synthetic account (``benchmarks/generate_account.py``, written to
``benchmarks/out/``) and for the bundled demo account:

* plain ``json.load`` of every file (the floor of a cold start), with and without the GC;
* snapshot load + model, graph build, and their sum as a ratio of plain ``json.load``;
* a single ``check`` after load: median of many, for the internet, S3 and a private name;
* a full ``audit`` of every function against those three targets;
* peak memory (``ru_maxrss`` of a fresh process that loads and builds the graph, and the
  ``tracemalloc`` peak of the same work) against the snapshot's size on disk;
* the second open of the same snapshot (warm cache, :mod:`vpcdoctor.graph.sources.cache`);
* ``vpcdoctor check`` as a whole process on the demo (median of several), cold and warm;
* TUI time to first paint on the demo (Textual Pilot: until the overview screen is mounted);
* live mode against a moto server: API calls of a scoped check, small and 10× account.

Each measurement of the load path runs in a fresh subprocess (``--worker``), so imports,
botocore's service models and the allocator start cold every time, as they do for a user.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: its printing is benchmarks.figures
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.figures import Figures, median, print_account, targets_table

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable


# --------------------------------------------------------------------------------------------
# Worker: one measurement in a fresh process
# --------------------------------------------------------------------------------------------


def _json_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file())


def plain_json_load(root: Path) -> float:
    """Seconds to ``json.load`` every file under ``root`` (as a naive script would)."""
    start = time.perf_counter()
    for path in _json_files(root):
        with path.open("rb") as fh:
            json.load(fh)
    return time.perf_counter() - start


def _check_targets(account: Any) -> tuple[str, list[str]]:
    """A VPC-attached function whose VPC can resolve a private name, and the three targets."""
    from vpcdoctor.diagnostics.dns import DnsOutcome, simulate

    names = sorted(n for n, f in account.functions.items() if f.in_vpc)
    private: list[tuple[str, str]] = []
    for zone in sorted(account.hosted_zones.values(), key=lambda z: z.id):
        if not zone.private or not zone.vpcs or not zone.records:
            continue
        record = next((r for r in zone.records if r.type == "A" and r.values), None)
        if record is None:
            continue
        vpcs = {v.vpc_id for v in zone.vpcs}
        for name in names:
            fn = account.functions[name]
            vpc_id = account.function_vpc(fn)
            if vpc_id in vpcs:
                answer = simulate(account, vpc_id, record.name)
                if answer.outcome is DnsOutcome.ANSWER:
                    private.append((name, record.name))
                    break
        if private:
            break
    function, host = private[0] if private else (names[0], "db.internal")
    return function, ["internet", "s3", host]


def worker(task: str, snapshot: Path, repeat: int) -> Figures:
    """Run one measurement task and return its figures (printed as JSON by ``--worker``)."""
    out: Figures = {"task": task}
    if task == "json":
        out["json_load_s"] = plain_json_load(snapshot)
        gc.disable()
        out["json_load_nogc_s"] = plain_json_load(snapshot)
        return out
    t0 = time.perf_counter()
    from vpcdoctor.graph.engine import graph as build
    from vpcdoctor.graph.sources import shapes
    from vpcdoctor.graph.sources.snapshot import load_snapshot

    out["import_s"] = time.perf_counter() - t0
    if task.startswith("memory"):
        # The interpreter, the libraries and botocore's EC2 model are not the snapshot's cost:
        # load them first and measure what the account adds on top.
        shapes.output_checker("ec2", "DescribeVpcs")
        out["baseline_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if task == "memory-tracemalloc":
        import tracemalloc

        tracemalloc.start()
    if task == "warm-cache":
        from vpcdoctor.graph.sources.cache import load_snapshot_cached

        first = time.perf_counter()
        load_snapshot_cached(snapshot)
        out["cold_cached_load_s"] = time.perf_counter() - first
        return out
    if task == "warm-cache-second":
        from vpcdoctor.graph.sources.cache import load_snapshot_cached

        start = time.perf_counter()
        account = load_snapshot_cached(snapshot)
        out["warm_load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        build.graph_for(account)
        out["warm_graph_s"] = time.perf_counter() - start
        return out
    start = time.perf_counter()
    account = load_snapshot(snapshot)
    out["load_s"] = time.perf_counter() - start
    gc.freeze()  # as open_account does for the CLI and the TUI
    start = time.perf_counter()
    graph = build.build_graph(account)
    out["graph_s"] = time.perf_counter() - start
    out["graph_nodes"] = graph.number_of_nodes()
    out["graph_edges"] = graph.number_of_edges()
    out["functions"] = len(account.functions)
    out["enis"] = len(account.network_interfaces)
    if task.startswith("memory"):
        out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if task == "memory-tracemalloc":
            import tracemalloc

            out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        return out
    build.graph_for(account)  # what the first check does; cached per account from here on
    from vpcdoctor.diagnostics.diagnose import check

    function, targets = _check_targets(account)
    out["check_function"] = function
    out["check_targets"] = targets
    medians: dict[str, float] = {}
    verdicts: dict[str, str] = {}
    for target in targets:
        check(account, function, target)  # first call pays one-off lazy work
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = check(account, function, target)
            samples.append(time.perf_counter() - start)
        medians[target] = statistics.median(samples)
        verdicts[target] = str(result.verdict)
    out["check_median_s"] = medians
    out["check_verdicts"] = verdicts
    if task == "all":
        from vpcdoctor.commands.audit import audit

        start = time.perf_counter()
        rows = audit(account, targets=targets)
        out["audit_s"] = time.perf_counter() - start
        out["audit_functions"] = len(rows)
        out["audit_checks"] = sum(len(r.results) for r in rows)
    return out


def run_worker(
    task: str, snapshot: Path, repeat: int = 200, env: dict[str, str] | None = None
) -> Figures:
    cmd = [PYTHON, str(Path(__file__)), "--worker", task, str(snapshot), "--repeat", str(repeat)]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {task} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------------------------
# Whole-process CLI, TUI first paint, live calls
# --------------------------------------------------------------------------------------------


def cli_check(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    exe = shutil.which("vpcdoctor", path=str(Path(PYTHON).parent)) or "vpcdoctor"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [exe, "check", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
        )
        samples.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1, 3):
            raise RuntimeError(f"vpcdoctor check failed: {proc.stderr.strip()[-500:]}")
    return samples


_TUI_PROBE = r"""
import asyncio, sys, time
start = time.perf_counter()
from vpcdoctor.tui.app import make_app
from vpcdoctor.tui.screens.overview import OverviewScreen

async def main():
    app = make_app(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            screen = app.screen
            if isinstance(screen, OverviewScreen) and screen.is_mounted:
                trees = screen.query("#functions")
                if trees and trees.first().root.children:
                    break
            await asyncio.sleep(0.005)
        print(time.perf_counter() - start)

asyncio.run(main())
"""


def tui_first_paint(runs: int, env: dict[str, str]) -> list[float]:
    """Seconds from process start (imports included) until the overview shows the functions."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [PYTHON, "-c", _TUI_PROBE],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
            timeout=120,
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        samples.append(min(wall, float(proc.stdout.strip().splitlines()[-1]) + 0.0))
    return samples


def live_calls() -> Figures:
    """Scoped and full collection call counts against moto: a small and a 10× account."""
    sys.path.insert(0, str(REPO))
    from tests.moto_server import MotoServer, build_scenario, env_for, patch_moto_lambda_vpc_id

    from vpcdoctor.graph.live import collect as C

    server = MotoServer()
    saved = dict(os.environ)
    try:
        os.environ.update(env_for(server.url))
        with patch_moto_lambda_vpc_id():
            out: Figures = {}
            for label, extra in (("small", 0), ("10x", 10)):
                server.reset()
                build_scenario(server.url, extra_vpcs=extra)
                start = time.perf_counter()
                scoped = C.collect_live(function="orders-api")
                out[f"{label}_scoped_s"] = time.perf_counter() - start
                out[f"{label}_scoped_calls"] = scoped.calls
                full = C.collect_live()
                out[f"{label}_full_calls"] = full.calls
            return out
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.stop()


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> Figures:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import vpcdoctor

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "vpcdoctor": vpcdoctor.__version__,
        "load_average": os.getloadavg()[0],
    }


def snapshot_size(root: Path) -> tuple[int, int]:
    files = _json_files(root)
    return len(files), sum(p.stat().st_size for p in files)


def measure_account(
    label: str, snapshot: Path, *, runs: int, repeat: int, log: Callable[[str], None]
) -> Figures:
    n_files, size = snapshot_size(snapshot)
    fig: Figures = {"label": label, "snapshot": str(snapshot), "files": n_files, "bytes": size}
    log(f"[{label}] {n_files} files, {size / 1e6:.1f} MB")
    js = [run_worker("json", snapshot) for _ in range(runs)]
    fig["json_load_s"] = median([j["json_load_s"] for j in js])
    fig["json_load_nogc_s"] = median([j["json_load_nogc_s"] for j in js])
    log(f"[{label}] json.load {fig['json_load_s']:.3f} s")
    loads = [run_worker("load", snapshot, repeat=1) for _ in range(runs)]
    fig["load_s"] = median([x["load_s"] for x in loads])
    fig["graph_s"] = median([x["graph_s"] for x in loads])
    fig["load_graph_s"] = median([x["load_s"] + x["graph_s"] for x in loads])
    fig["graph_nodes"] = loads[0]["graph_nodes"]
    fig["graph_edges"] = loads[0]["graph_edges"]
    fig["functions"] = loads[0]["functions"]
    log(f"[{label}] load {fig['load_s']:.3f} s, graph {fig['graph_s']:.3f} s")
    full = run_worker("all", snapshot, repeat=repeat)
    for key in (
        "check_function",
        "check_targets",
        "check_median_s",
        "check_verdicts",
        "audit_s",
        "audit_functions",
        "audit_checks",
    ):
        fig[key] = full[key]
    log(f"[{label}] checks {full['check_median_s']}, audit {full['audit_s']:.2f} s")
    mem = run_worker("memory", snapshot, repeat=1)
    tm = run_worker("memory-tracemalloc", snapshot, repeat=1)
    fig["maxrss_mb"] = mem["maxrss_mb"]
    fig["baseline_rss_mb"] = mem["baseline_rss_mb"]
    fig["tracemalloc_peak_mb"] = tm["tracemalloc_peak_mb"]
    with tempfile.TemporaryDirectory(prefix="vpcdoctor-bench-cache-") as cache:
        env = {"VPCDOCTOR_CACHE_DIR": cache, "VPCDOCTOR_NO_CACHE": ""}
        first = run_worker("warm-cache", snapshot, env=env)
        fig["cold_cached_load_s"] = first["cold_cached_load_s"]
        warm = [run_worker("warm-cache-second", snapshot, env=env) for _ in range(runs)]
        fig["warm_load_s"] = median([w["warm_load_s"] for w in warm])
        fig["warm_graph_s"] = median([w["warm_graph_s"] for w in warm])
    log(f"[{label}] warm cache {fig['warm_load_s']:.3f} s")
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "SNAPSHOT"), help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=200, help="samples per single-check median")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per load figure")
    parser.add_argument("--large", type=Path, help="use this snapshot as the large account")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--quick", action="store_true", help="scale 0.1, fewer runs")
    parser.add_argument("--only", choices=("large", "demo"), help="one account only")
    parser.add_argument("--skip", default="", help="comma list of: cli, tui, live")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    if args.worker:
        task, snap = args.worker
        print(json.dumps(worker(task, Path(snap), args.repeat)))
        return 0

    if args.quick:
        args.scale, args.runs, args.repeat = 0.1, 1, 50
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    from vpcdoctor.graph.sources.opener import demo_snapshot_dir

    figures: Figures = {"machine": machine()}
    large: Figures | None = None
    demo: Figures | None = None
    if args.only != "demo":
        snap = args.large
        if snap is None:
            snap = HERE / "out" / f"large-seed{args.seed}-scale{args.scale:g}"
            if not (snap / "lambda" / "list-functions.json").exists():
                log(f"generating {snap} …")
                subprocess.run(
                    [
                        PYTHON,
                        str(HERE / "generate_account.py"),
                        str(snap),
                        "--seed",
                        str(args.seed),
                        "--scale",
                        str(args.scale),
                        "--quiet",
                    ],
                    check=True,
                )
        large = measure_account("large", snap, runs=args.runs, repeat=args.repeat, log=log)
        figures["large"] = large
    if args.only != "large":
        demo = measure_account(
            "demo", demo_snapshot_dir(), runs=max(args.runs, 5), repeat=args.repeat, log=log
        )
        figures["demo"] = demo
    extra: Figures = {}
    if "cli" not in skip:
        fn = (demo or {}).get("check_function") or "orders-api"
        target = "internet"
        with tempfile.TemporaryDirectory(prefix="vpcdoctor-bench-cache-") as cache:
            env = {"VPCDOCTOR_CACHE_DIR": cache}
            base = ["--demo", "--function", fn, "--target", target, "--format", "json"]
            extra["cli_check_cold_s"] = cli_check(base, 5, {**env, "VPCDOCTOR_NO_CACHE": "1"})
            cli_check(base, 1, {**env, "VPCDOCTOR_NO_CACHE": ""})
            extra["cli_check_warm_s"] = cli_check(base, 5, {**env, "VPCDOCTOR_NO_CACHE": ""})
            if large is not None:
                lbase = [
                    "--snapshot",
                    large["snapshot"],
                    "--function",
                    large["check_function"],
                    "--target",
                    "internet",
                    "--format",
                    "json",
                ]
                extra["cli_check_large_cold_s"] = cli_check(
                    lbase, 1, {**env, "VPCDOCTOR_NO_CACHE": ""}
                )
                extra["cli_check_large_warm_s"] = cli_check(
                    lbase, 3, {**env, "VPCDOCTOR_NO_CACHE": ""}
                )
        log(f"cli check demo: cold {extra['cli_check_cold_s']}, warm {extra['cli_check_warm_s']}")
    if "tui" not in skip:
        try:
            extra["tui_first_paint_s"] = tui_first_paint(3, {"VPCDOCTOR_NO_CACHE": "1"})
        except Exception as error:  # the TUI is optional to the rest of the figures
            extra["tui_error"] = str(error)[-500:]
    if "live" not in skip:
        try:
            extra["live"] = live_calls()
        except Exception as error:
            extra["live"] = {"error": str(error)[-500:]}
    figures["extra"] = extra

    m = figures["machine"]
    print(f"# vpcdoctor benchmark — {m['date']}")
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, "
        f"{m['platform']}; load average at start {m['load_average']:.2f}"
    )
    for fig in (large, demo):
        if fig:
            print_account(fig)
    if extra:
        print("\n## whole process and live")
        if "cli_check_cold_s" in extra:
            print(
                f"  vpcdoctor check (demo)  cold {median(extra['cli_check_cold_s']):.3f} s, "
                f"warm cache {median(extra['cli_check_warm_s']):.3f} s (median of 5)"
            )
        if "cli_check_large_warm_s" in extra:
            print(
                f"  vpcdoctor check (large) first {extra['cli_check_large_cold_s'][0]:.3f} s "
                f"(writes the cache), warm {median(extra['cli_check_large_warm_s']):.3f} s"
            )
        if "tui_first_paint_s" in extra:
            print(
                f"  TUI first paint (demo)  {median(extra['tui_first_paint_s']):.3f} s "
                "(median of 3, process start to overview with functions)"
            )
        elif "tui_error" in extra:
            print(f"  TUI first paint         not measured: {extra['tui_error'][:200]}")
        live = extra.get("live", {})
        if "small_scoped_calls" in live:
            print(
                f"  live scoped check calls small {live['small_scoped_calls']}, 10× "
                f"{live['10x_scoped_calls']} (full collection: {live['small_full_calls']} vs "
                f"{live['10x_full_calls']})"
            )
        elif live:
            print(f"  live                    not measured: {live.get('error', '')[:200]}")
    print("\n## targets")
    for name, value, _target, met in targets_table(large, demo, extra):
        mark = "met" if met else "NOT MET"
        print(f"  [{mark:7}] {name}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
