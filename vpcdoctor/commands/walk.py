"""``vpcdoctor walk``: the documented checklist for one function, step by step.

Text output uses rich (a status badge, the evidence and the fix of each step); ``--format json``
prints DESIGN.md's walk document; ``--format markdown`` suits incident tickets. ``--lang ja`` (or
``VPCDOCTOR_LANG=ja``) switches every text of the checklist. Exit codes: 0 no step failed,
1 a step failed, 3 no failure but some step unknown.

The walk is :func:`vpcdoctor.diagnostics.checklist.walk` and its renderers are
:mod:`vpcdoctor.diagnostics.walk_report` (the TUI exports with them too); this command only
parses, prints and chooses the exit code.
"""

from __future__ import annotations

import argparse
import sys

from vpcdoctor.commands._whatif import assume, print_banner, with_assumed
from vpcdoctor.diagnostics.checklist import resolve_lang, walk
from vpcdoctor.diagnostics.walk_report import badge, print_text, to_markdown
from vpcdoctor.graph.model.targets import find_function
from vpcdoctor.sanitise import json_text

__all__ = ["badge", "print_text", "run", "to_markdown"]  # re-exported for older imports


def run(args: argparse.Namespace) -> int:
    from vpcdoctor.graph.sources.opener import open_account

    lang = resolve_lang(getattr(args, "lang", None))
    account = open_account(
        snapshot=args.snapshot,
        demo=args.demo,
        profile=args.profile,
        region=args.region,
        function=args.function,
    )
    # The same "did you mean" as every other command: the nearest names, never a list of
    # whichever functions sort first, and no AWS CLI advice for the bundled demo.
    find_function(account, args.function)
    account, assumed = assume(args, account)
    result = walk(account, args.function, targets=tuple(args.target or ()), lang=lang)
    fmt = getattr(args, "format", "text")
    if fmt == "json":
        sys.stdout.write(json_text(with_assumed(result.to_json(), assumed)))
        sys.stdout.write("\n")
    elif fmt == "markdown":
        from vpcdoctor.commands.audit import report_context

        print_banner(assumed, markdown=True)
        lines = report_context(args, account).markdown_lines()
        markdown = to_markdown(result)
        head, _, rest = markdown.partition("\n\n")
        sys.stdout.write(f"{head}\n\n" + "\n".join(lines) + f"\n\n{rest}")
    else:
        print_banner(assumed)
        print_text(result)
    return result.exit_code
