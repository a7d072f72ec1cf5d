"""``vpcdoctor export``: a live collection written in exactly the offline snapshot layout.

``DIR/<service>/<kind>[@owner].json``, each file the JSON the AWS CLI prints for the same call
(indent 4, datetimes as ISO 8601 strings), plus ``DIR/manifest.json``. The snapshot is written
into a temporary directory next to ``DIR`` (0700 directories, 0600 files, each file fsynced)
and renamed to ``DIR`` at the end, so an interrupted export leaves nothing half-written. An
existing non-empty ``DIR`` is never overwritten. Lambda environment variables are scrubbed again
here (the collector already dropped them): they never reach the disk.

:func:`cli_script` prints the equivalent AWS CLI commands for a host that only has the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vpcdoctor import __version__
from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.live.collect import COLLECTED_KINDS, Collection, scrub_function
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME

MANIFEST = "manifest.json"
DIR_MODE = 0o700
FILE_MODE = 0o600
_UNSAFE = re.compile(r"[^A-Za-z0-9._=-]")


def safe_owner(owner: str) -> str:
    """An owner id made safe as part of a file name (AWS ids already are; the collector names
    ELB resources ``NAME.ID`` already)."""
    text = _UNSAFE.sub("_", owner.rsplit("/", 1)[-1]) or "_"
    return "_" if set(text) == {"."} else text


def relative_file(kind_name: str, owner: str | None) -> str:
    """``ec2/describe-vpcs.json``, ``route53/list-resource-record-sets@Z0ABC.json``."""
    stem = KINDS_BY_NAME[kind_name].file_stem
    return f"{stem}@{safe_owner(owner)}.json" if owner else f"{stem}.json"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    return str(value)


def cli_json(data: Any) -> str:
    """JSON as ``aws … --output json`` prints it."""
    return json.dumps(data, indent=4, ensure_ascii=False, default=_json_default) + "\n"


def _safe_data(kind_name: str, data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data.pop("ResponseMetadata", None)
    if kind_name == "list-functions":
        data["Functions"] = [
            scrub_function(dict(fn)) if isinstance(fn, dict) else fn
            for fn in data.get("Functions") or []
        ]
    elif kind_name == "get-function-configuration":
        scrub_function(data)
    elif kind_name == "get-function":
        data.pop("Code", None)
        if isinstance(data.get("Configuration"), dict):
            data["Configuration"] = scrub_function(dict(data["Configuration"]))
    return data


def manifest(collection: Collection) -> dict[str, Any]:
    """The ``manifest.json`` document (the loader reads ``account``, ``region``, ``gaps``)."""
    operations = []
    for record in collection.operations:
        file = relative_file(record.kind, record.owner) if record.kind in KINDS_BY_NAME else None
        entry: dict[str, Any] = {
            "kind": record.kind,
            "owner": record.owner,
            "file": file if record.status == "ok" else None,
            "status": record.status,
            "calls": record.calls,
        }
        if record.error:
            entry["error"] = record.error
        operations.append(entry)
    return {
        "vpcdoctor": __version__,
        "account": collection.account_id,
        "region": collection.region,
        "collected_at": collection.collected_at.isoformat(),
        "function": collection.function,
        "calls": collection.calls,
        "operations": operations,
        "gaps": [
            {"kind": g.kind, "reason": g.reason, "iam_action": g.iam_action, "owner": g.owner}
            for g in collection.gaps
        ],
    }


def check_target(directory: Path) -> None:
    """Refuse, before the first AWS call, a ``DIR`` that cannot receive the snapshot: one that
    exists and is not an empty directory, or whose nearest existing parent is not a directory
    or is not writable (the snapshot is written next to ``DIR``, then renamed)."""
    directory = Path(directory).expanduser().absolute()
    if directory.exists() or directory.is_symlink():
        if not directory.is_dir() or directory.is_symlink():
            raise SnapshotError(
                "exists and is not a directory: choose a new directory", path=str(directory)
            )
        if any(directory.iterdir()):
            raise SnapshotError(
                "exists and is not empty; vpcdoctor never overwrites a snapshot: choose a new "
                "directory",
                path=str(directory),
            )
    parent = directory.parent
    while not parent.exists() and not parent.is_symlink() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise SnapshotError(
            f"cannot create the snapshot there: {parent} is a file, not a directory; choose a "
            "directory path",
            path=str(directory),
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SnapshotError(
            f"cannot create the snapshot there: no permission to write in {parent}; choose a "
            "directory you can write to",
            path=str(directory),
        )


def _write_file(path: Path, text: str) -> None:
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE
    )
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_snapshot(collection: Collection, directory: str | Path) -> Path:
    """Write ``collection`` to ``directory`` atomically; return the directory."""
    target = Path(directory).expanduser().absolute()
    check_target(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".vpcdoctor-tmp", dir=parent))
    try:
        os.chmod(tmp, DIR_MODE)
        subdirs: set[Path] = set()
        for output in collection.outputs:
            rel = relative_file(output.kind, output.owner)
            path = tmp / rel
            if path.parent not in subdirs:
                path.parent.mkdir(mode=DIR_MODE, exist_ok=True)
                os.chmod(path.parent, DIR_MODE)
                subdirs.add(path.parent)
            _write_file(path, cli_json(_safe_data(output.kind, output.data)))
        _write_file(tmp / MANIFEST, cli_json(manifest(collection)))
        for sub in subdirs:
            _fsync_dir(sub)
        _fsync_dir(tmp)
        check_target(target)  # nobody filled it while we were collecting
        if target.exists():
            target.rmdir()  # empty (checked): rename needs it gone or empty
        os.rename(tmp, target)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


# --------------------------------------------------------------------------------------------
# --print-cli
# --------------------------------------------------------------------------------------------

_NO_ENV_FN = "merge(@, {Environment: `null`})"
"""JMESPath that blanks a function's environment variables (the CLI cannot drop a key)."""

# Per-resource kinds: (loop variable source query, kinds inside the loop).
_LOOPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "VPC",
        "aws ec2 describe-vpcs --query 'Vpcs[].VpcId' --output text",
        ("describe-vpc-attribute-enableDnsSupport", "describe-vpc-attribute-enableDnsHostnames"),
    ),
    (
        "VPC function",
        "aws lambda list-functions --query 'Functions[?VpcConfig.SubnetIds[0]].FunctionName' "
        "--output text",
        (
            "get-function-configuration",
            "get-function-concurrency",
            "list-provisioned-concurrency-configs",
        ),
    ),
    (
        "private hosted zone",
        "aws route53 list-hosted-zones --query 'HostedZones[?Config.PrivateZone].Id' --output text",
        ("get-hosted-zone", "list-resource-record-sets"),
    ),
    (
        "Resolver endpoint",
        "aws route53resolver list-resolver-endpoints --query 'ResolverEndpoints[].Id' "
        "--output text",
        ("list-resolver-endpoint-ip-addresses",),
    ),
    (
        "customer-managed prefix list",
        "aws ec2 describe-managed-prefix-lists --query \"PrefixLists[?OwnerId!='AWS']"
        '.PrefixListId" --output text',
        ("get-managed-prefix-list-entries",),
    ),
    (
        "transit gateway route table",
        "aws ec2 describe-transit-gateway-route-tables --query "
        "'TransitGatewayRouteTables[].TransitGatewayRouteTableId' --output text",
        (
            "search-transit-gateway-routes",
            "get-transit-gateway-route-table-propagations",
            "get-transit-gateway-route-table-associations",
        ),
    ),
    (
        "load balancer",
        "aws elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn' --output text",
        ("describe-listeners",),
    ),
    (
        "target group",
        "aws elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupArn' --output text",
        ("describe-target-health",),
    ),
    (
        "OpenSearch domain",
        "aws opensearch list-domain-names --query 'DomainNames[].DomainName' --output text",
        ("describe-domains",),
    ),
)

_ARN_LOOPS = frozenset({"load balancer", "target group"})
"""Loops over ARNs: the file is named ``@NAME.ID`` (``$o``), as ``vpcdoctor export`` names it
(an ARN holds ':' and '/')."""
_OWNER_FROM_ARN = 'o="$(basename "$(dirname "$id")").$(basename "$id")"'


def _command(kind_name: str, dest: str) -> str:
    k = KINDS_BY_NAME[kind_name]
    cli = k.cli.replace("{id}", '"$id"')
    if kind_name == "list-functions":
        cli += " --query " + shlex.quote("{Functions: Functions[]." + _NO_ENV_FN + "}")
    elif kind_name == "get-function-configuration":
        cli += " --query " + shlex.quote(_NO_ENV_FN)
    return f'{cli} --output json > "{dest}"'


def cli_script(directory: str | None = None, *, kinds: Iterable[str] = COLLECTED_KINDS) -> str:
    """A POSIX shell script that writes the same snapshot with the AWS CLI (read-only calls)."""
    wanted = list(kinds)
    looped = {name for _, _, names in _LOOPS for name in names}
    services = sorted({KINDS_BY_NAME[name].service for name in wanted})
    lines = [
        "#!/bin/sh",
        "# The snapshot `vpcdoctor export` writes, with only the AWS CLI (read-only calls).",
        "# Uses your AWS CLI configuration: set AWS_PROFILE and AWS_REGION (or --profile /",
        "# --region on each line). Lambda environment variables are blanked by --query.",
        '# Then: vpcdoctor check --snapshot "$D" --function NAME --target TARGET',
        "set -eu",
        "umask 077",
        f"D={shlex.quote(directory or 'snapshot')}",
        'if [ -e "$D" ] && [ -n "$(ls -A "$D")" ]; then echo "$D is not empty" >&2; exit 2; fi',
        "mkdir -p -m 700 " + " ".join(f'"$D/{s}"' for s in services),
        "",
    ]
    for name in wanted:
        if name in looped:
            continue
        lines.append(_command(name, f"$D/{KINDS_BY_NAME[name].file_stem}.json"))
    for label, source, names in _LOOPS:
        names = tuple(n for n in names if n in wanted)
        if not names:
            continue
        lines += ["", f"# one file per {label}", f"for id in $({source}); do"]
        if label == "private hosted zone":
            lines.append('  id="${id##*/}"')
        owner = "$id"
        if label in _ARN_LOOPS:
            lines.append("  " + _OWNER_FROM_ARN)
            owner = "$o"
        for name in names:
            dest = f"$D/{KINDS_BY_NAME[name].file_stem}@{owner}.json"
            lines.append("  " + _command(name, dest))
        lines.append("done")
    lines += ["", 'echo "snapshot written to $D" >&2']
    return "\n".join(lines) + "\n"
