"""The live collector: read-only boto3 calls → the same raw outputs the offline loader reads.

Driven by :data:`vpcdoctor.graph.model.kinds.KINDS`: every call is a registered kind (service,
operation, list key, IAM action), so the snapshot written by ``export``, the policy in
``policy/vpcdoctor-readonly.json`` and the loader agree by construction.

* Sessions and clients are injected (:class:`AwsClients` wraps a ``boto3.Session``; tests pass
  their own). Every client gets the :class:`~vpcdoctor.graph.live.readonly.ReadOnlyGuard` and
  adaptive retries with connect/read timeouts. ``AWS_ENDPOINT_URL`` is honoured by botocore.
* Every list call is paginated when botocore has a paginator, and the pages are merged as the
  AWS CLI merges them (result keys concatenated, tokens dropped, ``ResponseMetadata`` removed).
* Independent calls run concurrently in a thread pool; progress events go to a callback.
* A denied, throttled or failing operation becomes a :class:`~vpcdoctor.graph.model.Gap` and
  collection goes on; no credentials, expired credentials, an unreachable endpoint or an unknown
  region stop it with one :class:`~vpcdoctor.errors.CollectionError`.
* Scoped collection (``function=F``) reads only what F's path can touch, with filters, so the
  number of calls does not grow with the size of the account.
* Lambda ``Environment`` (secrets in practice) is dropped from every function document here,
  before anything else sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.config import Config

from vpcdoctor.errors import CollectionError
from vpcdoctor.graph.live.clients import (
    AwsClients,
    make_session,
)
from vpcdoctor.graph.live.plan import (
    _plan_full,
    _plan_scoped,
)
from vpcdoctor.graph.live.requests import (
    COLLECTED_KINDS,
    DISCOVERY_OPERATIONS,
    FULL_KINDS,
    IDENTITY_KIND,
    MAX_WORKERS,
    PER_RESOURCE_KINDS,
    Request,
    scrub_function,
    used_iam_actions,
)
from vpcdoctor.graph.live.runner import (
    ClientFactory,
    ProgressCallback,
    ProgressEvent,
    ProgressKind,
    _Runner,
)
from vpcdoctor.graph.model import Account, Gap
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.snapshot import RawOutput, build_account

# The collector's public names (tests, export and the benchmark import them from here).
__all__ = [
    "COLLECTED_KINDS",
    "DISCOVERY_OPERATIONS",
    "FULL_KINDS",
    "KINDS_BY_NAME",
    "PER_RESOURCE_KINDS",
    "AwsClients",
    "ClientFactory",
    "Collection",
    "OperationRecord",
    "ProgressEvent",
    "ProgressKind",
    "Request",
    "_Runner",
    "collect",
    "collect_account",
    "collect_live",
    "make_session",
    "scrub_function",
    "used_iam_actions",
]


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationRecord:
    """What happened to one (kind, owner) output, for the manifest."""

    kind: str
    owner: str | None
    status: str
    """``ok`` or ``gap``."""
    calls: int
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    """Everything one collection produced."""

    account_id: str | None
    region: str
    outputs: tuple[RawOutput, ...]
    gaps: tuple[Gap, ...]
    operations: tuple[OperationRecord, ...]
    calls: int
    """API calls made (pages included, retries not)."""
    calls_by_operation: Mapping[str, int] = field(default_factory=dict)
    """``ec2:DescribeVpcs`` → calls."""
    function: str | None = None
    """The function a scoped collection was scoped to."""
    collected_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def account(self) -> Account:
        return build_account(
            self.outputs, gaps=self.gaps, account_id=self.account_id, region=self.region
        )


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def collect(
    clients: AwsClients | ClientFactory,
    *,
    region: str | None = None,
    function: str | None = None,
    progress: ProgressCallback | None = None,
    page_size: int | None = None,
    max_workers: int = MAX_WORKERS,
) -> Collection:
    """Collect the region (or only ``function``'s path) through injected clients."""
    if isinstance(clients, AwsClients):
        region = region or clients.region
        counter: Callable[[], int] = lambda: clients.calls  # noqa: E731
        by_operation: Callable[[], dict[tuple[str, str], int]] = clients.guard.operations
    else:
        counter = lambda: 0  # noqa: E731
        by_operation = dict
    if not region:
        raise CollectionError("no AWS region: pass --region or set AWS_REGION")
    runner = _Runner(
        clients,
        region=region,
        progress=progress,
        page_size=page_size,
        max_workers=max_workers,
        call_counter=counter,
    )
    try:
        # The first call alone: it checks credentials, region and endpoint with one clear error.
        identity = runner.run_one(Request(IDENTITY_KIND))
        account_id = identity.get("Account") if identity else None
        if function:
            _plan_scoped(runner, function)
        else:
            _plan_full(runner)
    finally:
        runner.close()
    outputs = tuple(
        RawOutput(
            kind=name,
            owner=owner,
            data=runner.outputs[(name, owner)],
            source=f"live:{KINDS_BY_NAME[name].service}:{KINDS_BY_NAME[name].operation}",
        )
        for name, owner in runner.order
    )
    records = tuple(
        OperationRecord(
            kind=name, owner=owner, status=rec["status"], calls=rec["calls"], error=rec["error"]
        )
        for (name, owner), rec in runner.records.items()
    )
    result = Collection(
        account_id=account_id,
        region=region,
        outputs=outputs,
        gaps=tuple(runner.gaps.values()),
        operations=records,
        calls=counter(),
        calls_by_operation={f"{s}:{o}": n for (s, o), n in sorted(by_operation().items())},
        function=function,
    )
    if progress is not None:
        progress(
            ProgressEvent(
                event=ProgressKind.DONE,
                done=runner.done,
                total=runner.total,
                calls=result.calls,
                gaps=len(result.gaps),
            )
        )
    return result


def collect_live(
    *,
    profile: str | None = None,
    region: str | None = None,
    function: str | None = None,
    progress: ProgressCallback | None = None,
    session: Any | None = None,
    page_size: int | None = None,
    hooks: Sequence[tuple[str, Callable[..., Any]]] = (),
    config: Config | None = None,
) -> Collection:
    """A :class:`Collection` from a session (the standard chain unless one is injected)."""
    if session is None:
        session = make_session(profile, region)
    clients = AwsClients(session, region=region, hooks=hooks, config=config)
    return collect(clients, function=function, progress=progress, page_size=page_size)


def collect_account(
    *,
    profile: str | None = None,
    region: str | None = None,
    function: str | None = None,
    progress: ProgressCallback | None = None,
    session: Any | None = None,
) -> Account:
    """Live AWS → :class:`Account` (what :func:`~vpcdoctor.graph.sources.opener.open_account`
    calls)."""
    collection = collect_live(
        profile=profile, region=region, function=function, progress=progress, session=session
    )
    return collection.account()
