"""Run AWS CLI command lines through the awscli package's own parser, offline, send nothing.

``python -m tests.support.awscli_parse`` reads a JSON list of argv lists on stdin (each starting
with ``aws``) and writes a JSON list of results: ``{"ok": bool, "error": str, "params": {...}}``.
Each command goes through ``awscli.clidriver``'s real path — the service and operation must
exist, every option must be known, shorthand and JSON values are parsed against the operation's
input shape by awscli's own code, required options are enforced by its argument parser — up to
the ``calling-command`` event, where a handler checks the parameters with the request
validator (as a client would before sending) and returns instead of calling AWS.

It runs in its own process because importing ``awscli`` installs an import hook that makes
later ``import botocore`` / ``import s3transfer`` load the copies awscli vendors; vpcdoctor's own
process keeps its botocore. No credentials are read (config and credential files point
nowhere), and every socket connect raises, so nothing can leave the machine.

:func:`parse_with_awscli` is the helper the tests call.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from typing import Any


def _offline() -> None:
    import socket

    def refuse(*_: object, **__: object) -> None:
        raise OSError("the offline awscli parse check opens no connection")

    socket.socket.connect = refuse  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = refuse  # type: ignore[assignment]
    os.environ.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_DEFAULT_REGION="ap-northeast-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_PAGER="",
    )
    for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)


def _input_shape(session: Any, argv: list[str]) -> Any:
    from botocore import xform_name

    service, operation = argv[1], argv[2]
    model = session.get_service_model(service)
    if operation == "wait":
        waiter = session.get_waiter_model(service)
        names = {xform_name(n, "-"): n for n in waiter.waiter_names}
        name = waiter.get_waiter(names[argv[3]]).operation
    else:
        names = {xform_name(n, "-"): n for n in model.operation_names}
        name = names[operation]
    return model.operation_model(name).input_shape


def _one(argv: list[str]) -> dict[str, Any]:
    from awscli.clidriver import create_clidriver
    from botocore.validate import ParamValidator

    if not argv or argv[0] != "aws":
        return {"ok": False, "error": f"not an AWS CLI command: {argv[:1]}", "params": None}
    driver = _DRIVER if _DRIVER is not None else create_clidriver()
    seen: dict[str, Any] = {}

    def on_call(call_parameters: dict[str, Any], **_: Any) -> int:
        seen["params"] = call_parameters
        shape = _input_shape(driver.session, argv)
        if shape is not None:
            report = ParamValidator().validate(call_parameters, shape)
            if report.has_errors():
                seen["error"] = report.generate_report()
        return 0  # an override: the operation is never invoked

    driver.session.register("calling-command.*", on_call)
    err = io.StringIO()
    out = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            rc = driver.main(argv[1:])
        except SystemExit as exc:  # argparse errors (missing required option, bad choice)
            rc = exc.code if isinstance(exc.code, int) else 2
    lines = [m.strip() for m in err.getvalue().splitlines() if m.strip()]
    # awscli prints usage, a notice about v2 and choice lists; keep what says what went wrong.
    message = [m for m in lines if _SAYS_WHY.search(m)] or lines[-1:]
    if "error" in seen:
        return {"ok": False, "error": str(seen["error"]), "params": _plain(seen.get("params"))}
    if rc != 0 or "params" not in seen:
        return {"ok": False, "error": " ".join(message)[-600:] or f"exit {rc}", "params": None}
    return {"ok": True, "error": "", "params": _plain(seen["params"])}


_SAYS_WHY = re.compile(r"error:|Unknown options|[Ii]nvalid|required|[Ee]xpected|must be")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _warm() -> None:
    """Load the CLI and the service models once, before the children fork: awscli registers
    handlers on its session for each command it parses, so each command gets a pristine copy
    of this warm parent."""
    from awscli.clidriver import create_clidriver

    global _DRIVER
    _DRIVER = create_clidriver()
    table = _DRIVER._get_command_table()
    for service in ("ec2", "lambda", "route53", "route53resolver", "rds"):
        _DRIVER.session.get_service_model(service)
        table[service]._get_command_table()  # the service's operations, built once
        with contextlib.suppress(Exception):
            _DRIVER.session.get_waiter_model(service)


_DRIVER: Any = None


def main() -> int:
    _offline()
    commands = json.load(sys.stdin)
    _warm()
    import gc
    import multiprocessing

    gc.freeze()  # children then do not copy the warm heap page by page when they collect

    # One fresh child per command (maxtasksperchild=1), as many at once as there are cores.
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1, maxtasksperchild=1) as pool:
        results = pool.map(_one, [list(argv) for argv in commands], chunksize=1)
    sys.stdout.write(json.dumps(results))
    return 0


def parse_with_awscli(commands: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """Each command's result from awscli's parser (see the module's docstring)."""
    if not commands:
        return []
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.awscli_parse"],
        input=json.dumps([list(c) for c in commands]),
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"awscli parse check failed: {proc.stderr[-2000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


if __name__ == "__main__":
    raise SystemExit(main())
