"""Benchmark skeleton: load, graph build, one check (median), audit. Prints figures only.

Usage::

    python benchmarks/bench.py [--snapshot DIR | (default: the demo account)] [--repeat N]
        [--function F --target T]

A benchmark measures; it never asserts a time (CONTRIBUTING). The performance issue extends
this (large synthetic accounts from ``benchmarks/generate_account.py``, memory, profiles).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.graph import build
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.snapshot import load_snapshot
from vpcdoctor.graph.source import demo_snapshot_dir

from vpcdoctor.commands.audit import audit

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _pick(account: Account, function: str | None) -> str:
    if function:
        return function
    in_vpc = sorted(n for n, f in account.functions.items() if f.in_vpc)
    return (in_vpc or sorted(account.functions))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--function", default=None)
    parser.add_argument("--target", default="internet")
    parser.add_argument("--no-audit", action="store_true")
    args = parser.parse_args()

    snapshot = args.snapshot or demo_snapshot_dir()
    load_s, account = timed(lambda: load_snapshot(snapshot))
    print(f"snapshot            {snapshot}")
    print(f"functions / ENIs    {len(account.functions)} / {len(account.network_interfaces)}")
    print(f"load                {load_s * 1000:10.1f} ms")

    build_s, graph = timed(lambda: build.build_graph(account))
    print(
        f"graph build         {build_s * 1000:10.1f} ms  "
        f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)"
    )
    build.topology(account)  # warm the per-account cache, as the CLI's first check does

    function = _pick(account, args.function)
    samples = []
    for _ in range(args.repeat):
        seconds, _result = timed(lambda: check(account, function, args.target))
        samples.append(seconds)
    print(
        f"check (median)      {statistics.median(samples) * 1000:10.3f} ms  "
        f"({function} → {args.target}, n={args.repeat}, "
        f"p95 {sorted(samples)[int(len(samples) * 0.95) - 1] * 1000:.3f} ms)"
    )

    if not args.no_audit:
        audit_s, rows = timed(lambda: audit(account))
        checks = sum(len(r.results) for r in rows)
        print(
            f"audit               {audit_s * 1000:10.1f} ms  ({len(rows)} functions, "
            f"{checks} checks)"
        )


if __name__ == "__main__":
    main()
