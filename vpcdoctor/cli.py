"""The command line: argument parsing, source selection and exit codes.

This module stays thin. Each sub-command's work lives in ``vpcdoctor.commands.<name>`` (imported
lazily so ``vpcdoctor check`` never pays for importing Textual), and the domain packages do the
thinking. Exit codes: 0 reachable / ok, 1 unreachable / findings, 3 unknown, 2 bad invocation or
unreadable input (one line on stderr, never a traceback); 141 when the reader of stdout went
away (``| head``), as for a process killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TypedDict

from vpcdoctor import __version__
from vpcdoctor.errors import VpcDoctorError
from vpcdoctor.sanitise import clean

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away (``vpcdoctor check … | head -1``), as a SIGPIPE death."""

_TARGET_HELP = (
    "host[:port], ipv4[:port], [ipv6]:port, a URL, or an AWS service short name "
    "(s3, dynamodb, sts, secretsmanager, logs, kms, ecr.api, ecr.dkr, ssm, …); port defaults to "
    "443; udp/HOST:PORT for UDP"
)


def error_line(message: str) -> str:
    """One line for stderr: ``vpcdoctor: MESSAGE``, the message through the one sanitiser.

    Messages name files, values and resources from the snapshot (a file name can hold OSC 52
    or ``\\nvpcdoctor: … REACHABLE``): their control characters and line breaks become
    visible escapes, so the line can neither act on the terminal nor forge a second line.
    """
    return f"vpcdoctor: {clean(message)}\n"


def _never_unencodable() -> None:
    """A character the stream cannot encode (a lone surrogate that escaped the sanitiser, or
    Japanese text on an ASCII terminal) is written escaped, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached or closed: leave it
                reconfigure(errors="backslashreplace")


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and one clear line (its default is usage + message)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(error_line(f"error: {message}"))
        raise SystemExit(EXIT_BAD_INPUT)


# Options that may be given before or after the command. Sub-commands declare them with
# SUPPRESS defaults so a value given before the command is not overwritten by a default.
_SHARED_DEFAULTS: dict[str, object] = {
    "snapshot": None,
    "demo": False,
    "profile": None,
    "region": None,
    "lang": None,
}


class _SuppressedDefault(TypedDict, total=False):
    """Keyword arguments that give a shared option a SUPPRESS default (or none at the top)."""

    default: str


def _add_source(p: argparse.ArgumentParser, *, snapshot: bool = True, top: bool = False) -> None:
    g = p.add_argument_group("where the account comes from (default: live AWS, read-only)")
    d: _SuppressedDefault = {} if top else {"default": argparse.SUPPRESS}
    if snapshot:
        g.add_argument(
            "--snapshot", metavar="DIR", help="offline snapshot directory (AWS CLI JSON)", **d
        )
        g.add_argument("--demo", action="store_true", help="use the bundled demo account", **d)
    g.add_argument("--profile", metavar="P", help="AWS profile (live mode)", **d)
    g.add_argument("--region", metavar="R", help="AWS region (live mode)", **d)


def _add_protocol(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--protocol",
        choices=["tcp", "udp"],
        default=None,
        help="protocol of the targets (default tcp; udp/HOST:PORT says it per target)",
    )


def _with_protocol(args: argparse.Namespace) -> None:
    """``--protocol udp``: every target is read as ``udp/TARGET`` (a prefix given wins)."""
    if getattr(args, "protocol", None) != "udp":
        return
    target = getattr(args, "target", None)
    if isinstance(target, str):
        args.target = target if "/" in target.split(":", 1)[0] else f"udp/{target}"
    elif isinstance(target, list):
        args.target = [t if "/" in t.split(":", 1)[0] else f"udp/{t}" for t in target]


def _add_format(p: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    p.add_argument("--format", choices=list(choices), default="text", help="output format")


def _add_lang(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    p.add_argument(
        "--lang",
        choices=["en", "ja"],
        default=None if top else argparse.SUPPRESS,
        help="language of the checklist text (default: $VPCDOCTOR_LANG or en)",
    )


def _add_assume(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--assume",
        metavar="FILE",
        help="what-if: apply the AWS CLI commands in FILE to a copy of the account in memory "
        "first (one a line, # comments; nothing is sent to AWS)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vpcdoctor",
        description="Why can't my Lambda reach X? Diagnoses VPC-attached AWS Lambda networking "
        "from live AWS (read-only) or an offline snapshot.",
        epilog="Without a command, vpcdoctor opens the TUI. Exit codes: 0 reachable, "
        "1 unreachable, 3 unknown, 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"vpcdoctor {__version__}")
    _add_source(parser, top=True)
    _add_lang(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("check", help="can FUNCTION reach TARGET? hop by hop, with the blocker")
    p.add_argument("--function", "-f", required=True, metavar="NAME", help="Lambda function name")
    p.add_argument("--target", "-t", required=True, metavar="TARGET", help=_TARGET_HELP)
    _add_protocol(p)
    _add_source(p)
    _add_format(p, ["text", "json", "markdown", "mermaid", "dot", "graphml", "node-link"])
    _add_assume(p)
    p.add_argument(
        "--plan",
        action="store_true",
        help="also the verified fix plan: apply the blocker's fix in memory, check again, "
        "repeat; verified only when the final check says reachable",
    )

    p = sub.add_parser("audit", help="every function against a few targets, as one table")
    p.add_argument("--target", "-t", action="append", metavar="TARGET", help=_TARGET_HELP)
    p.add_argument("--function", "-f", metavar="GLOB", help="only functions matching this glob")
    _add_protocol(p)
    _add_source(p)
    _add_format(p, ["text", "json", "markdown"])
    _add_lang(p)
    _add_assume(p)

    p = sub.add_parser("walk", help="walk the documented checklist for one function")
    p.add_argument("--function", "-f", required=True, metavar="NAME", help="Lambda function name")
    p.add_argument("--target", "-t", action="append", metavar="TARGET", help=_TARGET_HELP)
    _add_protocol(p)
    _add_source(p)
    _add_lang(p)
    _add_format(p, ["text", "json", "markdown"])
    _add_assume(p)

    p = sub.add_parser(
        "dns",
        help="resolve NAME as the VPC's resolver would, and/or probe servers",
        epilog="Exit codes: 0 answer; 1 no answer (NXDOMAIN, NODATA, SERVFAIL, REFUSED, timeout); "
        "3 not known (forwarded or public and not probed, unknown); 2 bad input. The simulation "
        "decides; when it can only say forwarded/public/unknown, the first probe decides.",
    )
    p.add_argument("name", metavar="NAME", help="the DNS name to resolve")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--function", "-f", metavar="NAME", help="resolve from this function's VPC")
    scope.add_argument("--vpc", metavar="VPC_ID", help="resolve from this VPC")
    p.add_argument(
        "--nameserver",
        "-n",
        action="append",
        metavar="IP[:PORT]",
        help="query this name server (repeatable)",
    )
    p.add_argument("--timeout", type=float, default=2.0, help="seconds per query attempt")
    p.add_argument("--tries", type=int, default=2, help="attempts per name server")
    _add_source(p)
    _add_format(p, ["text", "json"])

    p = sub.add_parser("export", help="write a live snapshot to DIR (read-only calls only)")
    p.add_argument("dir", metavar="DIR", nargs="?", help="directory to create")
    p.add_argument(
        "--print-cli",
        action="store_true",
        help="print the equivalent AWS CLI commands instead of calling AWS",
    )
    p.add_argument("--function", "-f", metavar="NAME", help="collect only what NAME's path touches")
    _add_source(p, snapshot=False)

    p = sub.add_parser(
        "diff",
        help="it worked yesterday: every (function, target) whose verdict differs between two "
        "snapshots, with the changed resources on its path",
        epilog="Exit codes: 0 no verdict changed, 1 some changed, 2 bad input.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier snapshot directory")
    p.add_argument("new", metavar="NEW", help="the later snapshot directory")
    p.add_argument(
        "--function", "-f", action="append", metavar="NAME", help="only this function (repeatable)"
    )
    p.add_argument("--target", "-t", action="append", metavar="TARGET", help=_TARGET_HELP)
    _add_format(p, ["text", "json", "markdown"])

    p = sub.add_parser("demo", help="open the TUI on the bundled demo account (no AWS needed)")
    _add_lang(p)
    return parser


def _merge_globals(args: argparse.Namespace) -> None:
    """Fill shared options the user did not give; resolve the language."""
    for name, default in _SHARED_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.region is None:
        # The AWS CLI reads AWS_REGION before AWS_DEFAULT_REGION; boto3 reads only the latter.
        args.region = os.environ.get("AWS_REGION") or None
    if args.lang is None:
        args.lang = os.environ.get("VPCDOCTOR_LANG", "en")
        if args.lang not in ("en", "ja"):
            args.lang = "en"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vpcdoctor`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _never_unencodable()
    parser = build_parser()
    args = parser.parse_args(argv)
    _with_protocol(args)
    _merge_globals(args)
    if args.snapshot is not None and args.demo:
        parser.error("--snapshot and --demo are alternatives: give one")
    if getattr(args, "plan", False) and getattr(args, "format", "text") not in (
        "text",
        "json",
        "markdown",
    ):
        parser.error("--plan is shown with --format text, json or markdown")
    command = args.command or "tui"
    if command not in ("tui", "demo"):
        _broken_pipe_raises()
    try:
        module = importlib.import_module(f"vpcdoctor.commands.{command}")
        code: int = module.run(args)
        return code
    except VpcDoctorError as error:
        sys.stderr.write(error_line(str(error)))
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("vpcdoctor: interrupted\n")
        return 130
    except BrokenPipeError:
        # ``vpcdoctor audit | head``: the reader went away. Not an error of ours, but not an
        # answer either: 0/1/3 would be read as a verdict (``set -o pipefail``), so exit as a
        # process killed by SIGPIPE does (128 + 13), silently. Later writes (the interpreter's
        # final flush) go to /dev/null instead of printing "Exception ignored …".
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BROKEN_PIPE


def _broken_pipe_raises() -> None:
    """Rich answers a closed pipe with ``SystemExit(1)``, and 1 means "unreachable" here: let it
    raise ``BrokenPipeError`` instead, so :func:`main` handles every closed pipe alike."""
    from rich.console import Console

    def on_broken_pipe(self: Console) -> None:
        self.quiet = True
        raise BrokenPipeError

    Console.on_broken_pipe = on_broken_pipe  # type: ignore[method-assign]
