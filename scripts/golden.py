#!/usr/bin/env python3
"""Capture vpcdoctor's user-visible answers, to prove a refactoring changed none of them.

    python scripts/golden.py OUT_DIR [--large DIR]

Writes one file per command into OUT_DIR: ``audit`` (text and json), ``walk`` (en and ja, text
and json) for every function, ``dns`` for every private zone and rule name, and
``check --format json`` for every (function, audit default target) pair, on the bundled demo,
the full test snapshot and, with ``--large``, a generated account (benchmarks/
generate_account.py). Compare two runs with ``diff -r``: a refactoring must leave them
byte-identical. Runs in-process through ``vpcdoctor.cli.main`` (fresh cache, fixed width).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

# A fresh cache per run: every snapshot is parsed once, then served from the cache (the cache
# is part of what is compared: a refactoring that changes a cached answer shows up).
os.environ.pop("VPCDOCTOR_NO_CACHE", None)
os.environ["VPCDOCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="vpcdoctor-golden-")
os.environ["COLUMNS"] = "160"
os.environ.setdefault("VPCDOCTOR_NO_VPC_RESOLVER_PROBE", "1")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGETS = ("internet", "s3", "secretsmanager", "db.corp.internal:5432")


def _run(argv: list[str]) -> str:
    from vpcdoctor.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code  # type: ignore[assignment]
    head = f"$ vpcdoctor {' '.join(argv)}\nexit {code}\n"
    return f"{head}--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"


def _names(snapshot: Path) -> tuple[list[str], list[str]]:
    from vpcdoctor.graph.sources.opener import open_account

    account = open_account(snapshot=snapshot)
    functions = sorted(account.functions)
    names = sorted(
        {z.name for z in account.hosted_zones.values()}
        | {f"api.{z.name}" for z in account.hosted_zones.values()}
        | {r.domain_name for r in account.resolver_rules.values() if r.domain_name}
    )
    return functions, names


def capture(label: str, snapshot: Path, out: Path, *, limit: int | None = None) -> None:
    functions, names = _names(snapshot)
    if limit is not None:
        functions = functions[:limit]
        names = names[:limit]
    base = ["--snapshot", str(snapshot)]
    d = out / label
    d.mkdir(parents=True, exist_ok=True)
    for fmt in ("text", "json"):
        (d / f"audit.{fmt}").write_text(_run(["audit", *base, "--format", fmt]))
    for fn in functions:
        for lang in ("en", "ja"):
            for fmt in ("text", "json"):
                (d / f"walk.{fn}.{lang}.{fmt}").write_text(
                    _run(["walk", *base, "--function", fn, "--lang", lang, "--format", fmt])
                )
        for target in DEFAULT_TARGETS:
            safe = target.replace("/", "_").replace(":", "_")
            (d / f"check.{fn}.{safe}.json").write_text(
                _run(["check", *base, "--function", fn, "--target", target, "--format", "json"])
            )
        (d / f"dns.{fn}.json").write_text(
            "".join(_run(["dns", n, *base, "--function", fn, "--format", "json"]) for n in names)
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--large", type=Path, help="a generated account to include (sampled)")
    args = parser.parse_args()
    capture("demo", ROOT / "graph" / "demo" / "snapshot", args.out)
    capture("full", ROOT / "tests" / "data" / "snapshot_full", args.out)
    if args.large:
        capture("large", args.large, args.out, limit=25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
