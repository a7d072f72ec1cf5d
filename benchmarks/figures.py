"""The benchmark's figures and how they are printed: the per-account block and the table of
targets (benchmarks/run.py measures; this module only formats)."""

from __future__ import annotations

import statistics
from typing import Any

Figures = dict[str, Any]


def median(values: list[float]) -> float:
    return statistics.median(values)


def targets_table(
    large: Figures | None, demo: Figures | None, extra: Figures
) -> list[tuple[str, str, str, bool | None]]:
    rows: list[tuple[str, str, str, bool | None]] = []
    if large:
        ratio = large["load_graph_s"] / large["json_load_s"]
        rows.append(
            (
                "load + model + graph ≤ 2× json.load (large)",
                f"{large['load_graph_s']:.2f} s = {ratio:.2f}× "
                f"(vs json.load without GC: "
                f"{large['load_graph_s'] / large['json_load_nogc_s']:.2f}×)",
                "≤ 2×",
                ratio <= 2,
            )
        )
        worst = max(large["check_median_s"].values())
        rows.append(
            (
                "single check median ≤ 5 ms (large, worst of 3 targets)",
                f"{worst * 1000:.2f} ms",
                "≤ 5 ms",
                worst <= 0.005,
            )
        )
        per = large["audit_s"] * 2000 * 3 / max(1, large["audit_checks"])
        rows.append(
            (
                f"audit {large['audit_functions']} functions × 3 targets ≤ 5 s",
                f"{large['audit_s']:.2f} s ({large['audit_checks']} checks; {per:.2f} s per 6,000)",
                "≤ 5 s",
                large["audit_s"] <= 5,
            )
        )
        ratio = large["maxrss_mb"] * 1e6 / large["bytes"]
        rows.append(
            (
                "peak memory ≤ 4× snapshot size on disk (large)",
                f"ru_maxrss {large['maxrss_mb']:.0f} MB = {ratio:.2f}× of "
                f"{large['bytes'] / 1e6:.0f} MB, of which {large['baseline_rss_mb']:.0f} MB is "
                f"an idle process (tracemalloc peak {large['tracemalloc_peak_mb']:.0f} MB)",
                "≤ 4×",
                ratio <= 4,
            )
        )
        ratio = large["warm_load_s"] / large["json_load_s"]
        rows.append(
            (
                "warm-cache second open ≤ 0.5× json.load (large)",
                f"{large['warm_load_s']:.2f} s = {ratio:.2f}×",
                "≤ 0.5×",
                ratio <= 0.5,
            )
        )
    if "cli_check_cold_s" in extra:
        cold = median(extra["cli_check_cold_s"])
        warm = median(extra["cli_check_warm_s"])
        rows.append(
            (
                "`vpcdoctor check` whole process on the demo ≤ 1 s",
                f"{cold:.2f} s cold (no cache), {warm:.2f} s warm cache",
                "≤ 1 s",
                min(cold, warm) <= 1,
            )
        )
    if "tui_first_paint_s" in extra:
        t = median(extra["tui_first_paint_s"])
        rows.append(("TUI first paint on the demo ≤ 1.5 s", f"{t:.2f} s", "≤ 1.5 s", t <= 1.5))
    if "live" in extra and "small_scoped_calls" in extra["live"]:
        live = extra["live"]
        same = live["small_scoped_calls"] == live["10x_scoped_calls"]
        rows.append(
            (
                "live scoped check: API calls independent of account size",
                f"{live['small_scoped_calls']} calls (small) vs "
                f"{live['10x_scoped_calls']} (10×); full: {live['small_full_calls']} vs "
                f"{live['10x_full_calls']}",
                "equal",
                same,
            )
        )
    return rows


def print_account(fig: Figures) -> None:
    ms = 1000
    print(f"\n## {fig['label']}: {fig['snapshot']}")
    print(
        f"  files / size            {fig['files']} / {fig['bytes'] / 1e6:.1f} MB, "
        f"{fig['functions']} functions, graph {fig['graph_nodes']} nodes "
        f"{fig['graph_edges']} edges"
    )
    j = fig["json_load_s"]
    print(
        f"  plain json.load         {j * ms:9.1f} ms   (GC off: {fig['json_load_nogc_s'] * ms:.1f}"
        " ms)"
    )
    print(f"  load + model            {fig['load_s'] * ms:9.1f} ms   {fig['load_s'] / j:5.2f}×")
    print(f"  graph build             {fig['graph_s'] * ms:9.1f} ms   {fig['graph_s'] / j:5.2f}×")
    print(
        f"  load + model + graph    {fig['load_graph_s'] * ms:9.1f} ms   "
        f"{fig['load_graph_s'] / j:5.2f}×"
    )
    print(
        f"  warm cache: open        {fig['warm_load_s'] * ms:9.1f} ms   "
        f"{fig['warm_load_s'] / j:5.2f}×  (+ graph {fig['warm_graph_s'] * ms:.1f} ms; "
        f"first open writing the cache {fig['cold_cached_load_s'] * ms:.1f} ms)"
    )
    for target, seconds in fig["check_median_s"].items():
        print(
            f"  check median            {seconds * ms:9.3f} ms   {fig['check_function']} → "
            f"{target} ({fig['check_verdicts'][target]})"
        )
    print(
        f"  audit                   {fig['audit_s'] * ms:9.1f} ms   "
        f"{fig['audit_functions']} functions, {fig['audit_checks']} checks"
    )
    print(
        f"  peak memory             ru_maxrss {fig['maxrss_mb']:.0f} MB "
        f"({fig['maxrss_mb'] * 1e6 / fig['bytes']:.2f}× on disk; idle process "
        f"{fig['baseline_rss_mb']:.0f} MB); tracemalloc peak "
        f"{fig['tracemalloc_peak_mb']:.0f} MB"
    )
