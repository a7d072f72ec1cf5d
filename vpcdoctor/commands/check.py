"""``vpcdoctor check``: can FUNCTION reach TARGET? Hop by hop, with the blocker and its fix."""

from __future__ import annotations

import argparse
import sys

from vpcdoctor.commands._whatif import assume, print_banner, with_assumed
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.diagnostics.report import markdown, mermaid, print_text
from vpcdoctor.graph.engine.graph import graph_for
from vpcdoctor.graph.model.targets import find_function
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.graph.views.dot import to_dot
from vpcdoctor.graph.views.graphml import to_graphml, to_node_link
from vpcdoctor.graph.views.subgraph import neighbourhood
from vpcdoctor.sanitise import json_text

_GRAPH_FORMATS = {"dot": to_dot, "graphml": to_graphml, "node-link": to_node_link}


def run(args: argparse.Namespace) -> int:
    """Print the verdict in the chosen format; the exit code is the verdict's (0/1/3)."""
    account = open_account(
        snapshot=args.snapshot,
        demo=args.demo,
        profile=args.profile,
        region=args.region,
        function=args.function,
    )
    account, assumed = assume(args, account)
    fmt = getattr(args, "format", "text")
    if fmt in _GRAPH_FORMATS:
        fn = find_function(account, args.function)
        result = check(account, fn.name, args.target)
        sub = neighbourhood(graph_for(account), fn.name)
        sys.stdout.write(_GRAPH_FORMATS[fmt](sub))
        return int(result.verdict.exit_code)
    result = check(account, args.function, args.target)
    fix_plan = None
    if getattr(args, "plan", False):
        from vpcdoctor.diagnostics.plan import plan

        fix_plan = plan(account, args.function, result.target)
    if fmt == "json":
        document = result.to_json()
        if fix_plan is not None:
            document["plan"] = fix_plan.to_json()
        document = with_assumed(document, assumed)
        sys.stdout.write(json_text(document) + "\n")
    elif fmt == "markdown":
        from vpcdoctor.commands.audit import report_context

        print_banner(assumed, markdown=True)
        sys.stdout.write(markdown(result, report_context(args, account)))
        if fix_plan is not None:
            from vpcdoctor.diagnostics.plan import plan_markdown

            sys.stdout.write(plan_markdown(fix_plan))
    elif fmt == "mermaid":
        sys.stdout.write(mermaid(result))
    else:
        print_banner(assumed)
        print_text(result)
        if fix_plan is not None:
            from vpcdoctor.diagnostics.plan import plan_text

            sys.stdout.write("\n" + plan_text(fix_plan))
    return int(result.verdict.exit_code)
