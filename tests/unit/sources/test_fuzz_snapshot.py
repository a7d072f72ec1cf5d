"""Fuzzing the loader and the engine with mutations of the real demo account (issue 9, item 1).

Three properties, all deterministic (``derandomize=True``) and bounded:

* **Loading never crashes.** Any mutation of a real output file (keys dropped, types changed,
  text cut short, list items duplicated with changed content, hostile unicode, huge numbers,
  deep nesting, empty arrays, nulls) either loads, or raises vpcdoctor's own
  :class:`SnapshotError` whose one-line message names the file. Whatever loads can be checked
  without any other exception.
* **Less information never flips a verdict.** Deleting whole output files only removes
  information, so every demo case (graph/demo/expected.json) keeps its verdict or becomes
  ``unknown``; never ``reachable`` <-> ``unreachable``. This property found four engine bugs
  (see the commit log of graph/reachability.py, graph/filters.py, diagnostics/dns/simulate.py):
  service targets without the VPC-endpoints output, a group-referencing SG rule towards an ENI
  not in the snapshot, an IGW hop without the Lambda ENI, special-use names without the
  Resolver-rule outputs.
* **A corrupted deciding field is never a silent ``reachable``**: concrete corruptions whose
  correct outcome can be stated (a file deleted, a group or NAT removed, an invalid state or
  rule action) give ``unknown``/``unreachable`` or a SnapshotError naming the file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support.paths import ROOT
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.errors import SnapshotError, VpcDoctorError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.snapshot import load_snapshot

DEMO = ROOT / "graph" / "demo" / "snapshot"
EXPECTED: dict[str, Any] = json.loads((ROOT / "graph" / "demo" / "expected.json").read_text())
CASES: list[dict[str, Any]] = EXPECTED["cases"]


def _bounded(max_examples: int) -> settings:
    """Deterministic (derandomize: the same examples on every run and in CI), bounded."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# The files whose fields decide verdicts, and a few that only annotate.
DECIDING = [
    "ec2/describe-route-tables.json",
    "ec2/describe-network-acls.json",
    "ec2/describe-security-groups.json",
    "ec2/describe-nat-gateways.json",
    "ec2/describe-subnets.json",
    "ec2/describe-network-interfaces.json",
    "ec2/describe-vpc-endpoints.json",
    "ec2/describe-internet-gateways.json",
    "ec2/describe-addresses.json",
    "ec2/describe-prefix-lists.json",
    "ec2/describe-vpcs.json",
    "ec2/describe-vpc-peering-connections.json",
    "lambda/get-function-configuration@orders-api.json",
    "lambda/get-function-configuration@public-subnet.json",
    "lambda/list-functions.json",
    "route53/list-hosted-zones.json",
    "route53/list-resource-record-sets@Z00LFWS5OYM6DGPUFLWRL.json",
    "route53resolver/list-resolver-rules.json",
    "rds/describe-db-proxies.json",
    "elbv2/describe-load-balancers.json",
]
ALL_FILES = sorted(p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*.json"))
# Checks that exercise most hop kinds; run after every successful load of a mutated demo.
PROBES = [
    ("orders-api", "api.stripe.com"),
    ("orders-api", "s3"),
    ("public-subnet", "1.1.1.1:443"),
    ("ledger-writer", "10.20.20.7:5432"),
    ("directory-sync", "ldap.onprem.local:636"),
    ("invoice-renderer", "secretsmanager"),
]


def _verdicts(account: Account, cases: list[dict[str, Any]] = CASES) -> dict[int, str]:
    out = {}
    for i, case in enumerate(cases):
        try:
            out[i] = str(check(account, case["function"], case["target"]).verdict)
        except VpcDoctorError as error:  # the function itself may be gone: that is unknown
            out[i] = f"error: {type(error).__name__}"
    return out


def _copy_demo(directory: Path, *, without: frozenset[str] | set[str] = frozenset()) -> Path:
    snap = directory / "snapshot"
    shutil.copytree(DEMO, snap, ignore=None, dirs_exist_ok=True)
    for name in without:
        (snap / name).unlink()
    return snap


def _load_json(name: str) -> Any:
    return json.loads((DEMO / name).read_text())


def _assert_names_the_file(error: SnapshotError, snap: Path, name: str) -> None:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text, text
    assert error.path is not None, text
    assert Path(error.path).name == Path(name).name or Path(error.path) == snap, (error.path, name)
    assert error.path in text


# --------------------------------------------------------------------------------------------
# 1. Mutations of real files: SnapshotError naming the file, or a usable account
# --------------------------------------------------------------------------------------------

_HOSTILE_TEXT = [
    "\u202eevil",
    "a\u0000b",
    "\ud800",  # a lone surrogate (escaped in the JSON text, as json.dumps writes it)
    "\udfff\ud83d",
    "\x1b[31mred\x1b[0m",
    "[bold]x[/]",
    "\u200b\u200d",
    "x" * 5000,
    "10.0.0.0/33",
    "::/129",
    "999.1.1.1",
    "pl-",
    "",
    "-1",
    "65536",
    "active\n",
]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([10**400, -(10**400), 2**63, 1e308, -0.0, 65535, 65536, 32767, 32768]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(_HOSTILE_TEXT),
    st.just([]),
    st.just({}),
)
_NEST = "~~nest~~:"
_ACTIONS = ["replace", "drop", "retype", "duplicate", "empty", "null", "nest", "unicode"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):  # the first items are enough, and faster
            found.extend(_paths(item, (*prefix, index)))
    return found


def _retype(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {"0": value[0]} if value else {}
    if isinstance(value, dict):
        return [value]
    return 0


def _mutate(document: Any, data: st.DataObject) -> Any:
    """One mutation at one place of ``document`` (in place; returns the document)."""
    path = data.draw(st.sampled_from(_paths(document)), label="path")
    action = data.draw(st.sampled_from(_ACTIONS), label="action")
    if not path:
        if action == "nest":
            return _NEST + json.dumps([5000, document])
        if action in ("empty", "null"):
            return {} if action == "empty" else None
        return document
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = data.draw(_VALUES, label="value")
    elif action == "drop":
        del parent[last]
    elif action == "retype":
        parent[last] = _retype(parent[last])
    elif action == "duplicate":
        # the same item again with one field changed: a conflicting duplicate
        copy = json.loads(json.dumps(parent[last]))
        if isinstance(copy, dict) and copy:
            key = data.draw(st.sampled_from(sorted(copy)), label="changed key")
            copy[key] = data.draw(_VALUES, label="changed value")
        if isinstance(parent, list):
            parent.append(copy)
        else:
            parent[last] = [parent[last], copy]
    elif action == "empty":
        parent[last] = [] if isinstance(parent[last], list) else {}
    elif action == "null":
        parent[last] = None
    elif action == "nest":
        # written as text by _dump: json.dumps itself cannot write 5000 levels
        depth = data.draw(st.sampled_from([5, 50, 5000]), label="depth")
        parent[last] = _NEST + json.dumps([depth, parent[last]])
    elif action == "unicode":
        value = parent[last]
        hostile = data.draw(st.sampled_from(_HOSTILE_TEXT), label="unicode")
        parent[last] = (value + hostile) if isinstance(value, str) else hostile
    return document


def _dump(document: Any) -> str:
    """The JSON text, with nesting markers expanded into ``[[[…value…]]]``."""
    if isinstance(document, str) and document.startswith(_NEST):
        depth, value = json.loads(document[len(_NEST) :])
        return "[" * depth + json.dumps(value) + "]" * depth
    text = json.dumps(document, indent=1)
    while _NEST in text:
        start = text.index('"' + _NEST)
        decoder = json.JSONDecoder()
        marker, end = decoder.raw_decode(text, start)
        text = text[:start] + _dump(marker) + text[end:]
    return text


@_bounded(220)
@given(data=st.data())
def test_mutated_file_loads_or_fails_naming_it(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """A minimal snapshot (the mutated file and the VPCs) loads or fails naming the file."""
    name = data.draw(st.sampled_from(DECIDING), label="file")
    snap = tmp_path_factory.mktemp("mutated")
    if name != "ec2/describe-vpcs.json":
        (snap / "describe-vpcs.json").write_text((DEMO / "ec2/describe-vpcs.json").read_text())
    text = _dump(_mutate(_load_json(name), data))
    cut = data.draw(st.sampled_from([None, None, 0, 1, 0.5, 0.99]), label="cut")
    if cut is not None:
        text = text[: int(len(text) * cut) if isinstance(cut, float) else cut]
    target = snap / Path(name).name
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_snapshot(snap)
    except SnapshotError as error:
        event("SnapshotError")
        _assert_names_the_file(error, snap, name)
    else:
        event("loaded")


@_bounded(30)
@given(data=st.data())
def test_mutated_demo_is_checked_without_crashing(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The whole demo with one mutated deciding file: load, then every probe check either
    answers or raises a VpcDoctorError (never another exception)."""
    name = data.draw(st.sampled_from(DECIDING), label="file")
    snap = _copy_demo(tmp_path_factory.mktemp("demo"))
    (snap / name).write_text(
        _dump(_mutate(_load_json(name), data)), encoding="utf-8", errors="surrogatepass"
    )
    try:
        account = load_snapshot(snap)
    except SnapshotError as error:
        _assert_names_the_file(error, snap, name)
        return
    for function, target in PROBES:
        try:
            result = check(account, function, target)
        except VpcDoctorError:
            continue
        json.dumps(result.to_json())  # the verdict document is always serialisable


# --------------------------------------------------------------------------------------------
# 2. Deleting files removes information: a verdict may become unknown, never flip
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_verdicts() -> dict[int, str]:
    verdicts = _verdicts(load_snapshot(DEMO))
    assert [verdicts[i] for i in range(len(CASES))] == [c["verdict"] for c in CASES]
    return verdicts


def _assert_no_flip(after: dict[int, str], deleted: object) -> None:
    for i, case in enumerate(CASES):
        verdict = after[i]
        if verdict.startswith("error: FunctionNotFound"):
            continue  # its configuration was deleted: nothing to check, which is honest
        assert verdict in (case["verdict"], "unknown"), (
            f"{case['function']} -> {case['target']}: {case['verdict']} became {verdict} "
            f"after deleting {deleted}"
        )


# Files that describe one resource each are grouped, so that a draw removes a whole kind.
_GROUPS = sorted(
    {
        name.split("@", 1)[0] if "@" in name and "vpc-attribute" not in name else name
        for name in ALL_FILES
    }
)


@_bounded(24)
@given(groups=st.sets(st.sampled_from(_GROUPS), min_size=1, max_size=8))
def test_deleting_outputs_never_flips_a_verdict(
    tmp_path_factory: pytest.TempPathFactory, demo_verdicts: dict[int, str], groups: set[str]
) -> None:
    deleted = {n for n in ALL_FILES if n in groups or n.split("@", 1)[0] in groups}
    if "lambda/list-functions.json" in deleted and len(deleted) == len(ALL_FILES):
        return
    snap = _copy_demo(tmp_path_factory.mktemp("partial"), without=deleted)
    try:
        account = load_snapshot(snap)
    except SnapshotError as error:  # only "not a snapshot" when nothing usable is left
        assert "not a snapshot" in str(error)
        return
    _assert_no_flip(_verdicts(account), sorted(groups))


@pytest.mark.parametrize(
    "name",
    [n for n in DECIDING if "@" not in n]
    + ["route53resolver/list-resolver-rule-associations.json"],
)
def test_deleting_one_output_never_flips_a_verdict(
    tmp_path: Path, demo_verdicts: dict[int, str], name: str
) -> None:
    account = load_snapshot(_copy_demo(tmp_path, without={name}))
    _assert_no_flip(_verdicts(account), name)


# --------------------------------------------------------------------------------------------
# 3. Concrete corruptions with a stated correct outcome
# --------------------------------------------------------------------------------------------


def _cases_of(*functions: str) -> list[int]:
    return [i for i, c in enumerate(CASES) if c["function"] in functions]


@pytest.mark.parametrize(
    ("name", "hop_kind", "export"),
    [
        ("ec2/describe-network-acls.json", "network-acl", "describe-network-acls"),
        ("ec2/describe-route-tables.json", "route-table", "describe-route-tables"),
    ],
)
def test_without_acls_or_route_tables_their_paths_are_unknown(
    tmp_path: Path, name: str, hop_kind: str, export: str
) -> None:
    """Every reachable demo case whose path crosses an ACL (a route table) becomes ``unknown``
    without that output, and says which export settles it. (Paths that never cross one stay
    reachable: a function outside any VPC, an interface endpoint in the function's subnet.)"""
    demo = load_snapshot(DEMO)
    account = load_snapshot(_copy_demo(tmp_path, without={name}))
    crossing = 0
    for case in CASES:
        before = check(demo, case["function"], case["target"])
        if before.verdict.value != "reachable":
            continue
        if not any(h.kind == hop_kind for p in before.paths for h in p.hops):
            continue
        crossing += 1
        after = check(account, case["function"], case["target"])
        assert after.verdict.value == "unknown", case
        assert any(export in (h.needs or "") for p in after.paths for h in p.hops), case
    assert crossing >= 10


def test_a_missing_security_group_of_the_function_is_unknown(tmp_path: Path) -> None:
    snap = _copy_demo(tmp_path)
    groups = _load_json("ec2/describe-security-groups.json")
    fn_group = _load_json("lambda/get-function-configuration@orders-api.json")["VpcConfig"][
        "SecurityGroupIds"
    ][0]
    groups["SecurityGroups"] = [g for g in groups["SecurityGroups"] if g["GroupId"] != fn_group]
    (snap / "ec2/describe-security-groups.json").write_text(json.dumps(groups))
    account = load_snapshot(snap)
    for i in _cases_of("orders-api"):
        case = CASES[i]
        result = check(account, case["function"], case["target"])
        assert result.verdict.value == "unknown", case
        assert result.blocking is not None and result.blocking.resource == fn_group


def _nat_of_orders_api() -> set[str]:
    tables = _load_json("ec2/describe-route-tables.json")["RouteTables"]
    subnets = set(
        _load_json("lambda/get-function-configuration@orders-api.json")["VpcConfig"]["SubnetIds"]
    )
    nats = set()
    for table in tables:
        if any(a.get("SubnetId") in subnets for a in table.get("Associations", [])):
            nats |= {r["NatGatewayId"] for r in table["Routes"] if "NatGatewayId" in r}
    assert nats, "orders-api reaches the internet through NAT gateways"
    return nats


def test_a_nat_gateway_missing_from_the_snapshot_is_unknown(tmp_path: Path) -> None:
    snap = _copy_demo(tmp_path)
    nats = _load_json("ec2/describe-nat-gateways.json")
    gone = _nat_of_orders_api()
    nats["NatGateways"] = [n for n in nats["NatGateways"] if n["NatGatewayId"] not in gone]
    (snap / "ec2/describe-nat-gateways.json").write_text(json.dumps(nats))
    result = check(load_snapshot(snap), "orders-api", "api.stripe.com")
    assert result.verdict.value == "unknown"
    assert result.blocking is not None and result.blocking.resource in gone
    assert "describe-nat-gateways" in (result.blocking.needs or "")


@pytest.mark.parametrize("state", ["failed", "deleted", "pending"])
def test_a_nat_gateway_that_is_not_available_blocks(tmp_path: Path, state: str) -> None:
    snap = _copy_demo(tmp_path)
    nats = _load_json("ec2/describe-nat-gateways.json")
    gone = _nat_of_orders_api()
    for nat in nats["NatGateways"]:
        if nat["NatGatewayId"] in gone:
            nat["State"] = state
    (snap / "ec2/describe-nat-gateways.json").write_text(json.dumps(nats))
    result = check(load_snapshot(snap), "orders-api", "api.stripe.com")
    assert result.verdict.value == "unreachable"
    assert result.blocking is not None and result.blocking.resource in gone


def _corrupt(tmp_path: Path, name: str, change: Any) -> Path:
    snap = _copy_demo(tmp_path)
    document = _load_json(name)
    change(document)
    (snap / name).write_text(json.dumps(document))
    return snap


def _first_route(doc: dict[str, Any]) -> dict[str, Any]:
    return next(r for t in doc["RouteTables"] for r in t["Routes"] if "NatGatewayId" in r)


def _first_entry(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["NetworkAcls"][0]["Entries"][0]


def _first_egress(doc: dict[str, Any]) -> dict[str, Any]:
    return next(
        p for g in doc["SecurityGroups"] for p in g["IpPermissionsEgress"] if "FromPort" in p
    )


CORRUPTIONS = {
    "route State unknown": (
        "ec2/describe-route-tables.json",
        lambda d: _first_route(d).update(State="sideways"),
    ),
    "route State null": (
        "ec2/describe-route-tables.json",
        lambda d: _first_route(d).update(State=None),
    ),
    "NACL RuleAction unknown": (
        "ec2/describe-network-acls.json",
        lambda d: _first_entry(d).update(RuleAction="maybe"),
    ),
    "NACL RuleNumber 0": (
        "ec2/describe-network-acls.json",
        lambda d: _first_entry(d).update(RuleNumber=0),
    ),
    "NACL RuleNumber 40000": (
        "ec2/describe-network-acls.json",
        lambda d: _first_entry(d).update(RuleNumber=40000),
    ),
    "NACL RuleNumber a string": (
        "ec2/describe-network-acls.json",
        lambda d: _first_entry(d).update(RuleNumber="100"),
    ),
    "SG egress FromPort > 65535": (
        "ec2/describe-security-groups.json",
        lambda d: _first_egress(d).update(FromPort=70000, ToPort=70001),
    ),
    "SG egress ToPort below FromPort": (
        "ec2/describe-security-groups.json",
        lambda d: _first_egress(d).update(FromPort=443, ToPort=80),
    ),
    "NAT State unknown": (
        "ec2/describe-nat-gateways.json",
        lambda d: d["NatGateways"][0].update(State="humming"),
    ),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_an_invalid_deciding_value_is_an_error_or_never_reachable(
    tmp_path: Path, demo_verdicts: dict[int, str], corruption: str
) -> None:
    """A value AWS never writes in a field that decides verdicts: the loader refuses it naming
    the file, or the engine treats it as unknown — it never makes a check ``reachable`` that
    was not, nor silently keeps ``reachable`` on a path it decides."""
    name, change = CORRUPTIONS[corruption]
    snap = _corrupt(tmp_path, name, change)
    try:
        account = load_snapshot(snap)
    except SnapshotError as error:
        _assert_names_the_file(error, snap, name)
        return
    _assert_no_flip(_verdicts(account), corruption)


def test_a_subnet_without_its_association_uses_the_main_table(tmp_path: Path) -> None:
    """Removing a subnet's route-table association is not a loss of information: AWS then uses
    the VPC's main table. That legitimately changes verdicts; the path must name the main
    table, and the verdict must follow it (the demo's main tables have no NAT route)."""
    subnets = set(
        _load_json("lambda/get-function-configuration@orders-api.json")["VpcConfig"]["SubnetIds"]
    )

    def drop(doc: dict[str, Any]) -> None:
        for table in doc["RouteTables"]:
            table["Associations"] = [
                a for a in table.get("Associations", []) if a.get("SubnetId") not in subnets
            ]

    account = load_snapshot(_corrupt(tmp_path, "ec2/describe-route-tables.json", drop))
    result = check(account, "orders-api", "1.1.1.1:443")
    main_tables = {
        t["RouteTableId"]
        for t in _load_json("ec2/describe-route-tables.json")["RouteTables"]
        if any(a.get("Main") for a in t.get("Associations", []))
    }
    used = {h.resource for p in result.paths for h in p.hops if h.kind == "route-table"}
    assert used and used <= main_tables, used
    assert result.verdict.value != "reachable" or any(
        "nat-" in (h.detail or "") for p in result.paths for h in p.hops
    )
