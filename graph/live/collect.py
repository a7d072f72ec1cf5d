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

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import botocore.exceptions as bexc
from botocore import xform_name
from botocore.config import Config
from botocore.utils import set_value_from_jmespath

from vpcdoctor.errors import CollectionError, FunctionNotFound, ReadOnlyViolation, VpcDoctorError
from vpcdoctor.graph.live.readonly import ReadOnlyGuard
from vpcdoctor.graph.model import Account, Gap
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME, Kind
from vpcdoctor.graph.sources.snapshot import RawOutput, build_account

__all__ = [
    "DISCOVERY_OPERATIONS",
    "AwsClients",
    "Collection",
    "OperationRecord",
    "ProgressEvent",
    "ProgressKind",
    "collect",
    "collect_account",
    "make_session",
    "used_iam_actions",
]

MAX_WORKERS = 8
MAX_ATTEMPTS = 6
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
FILTER_VALUES_MAX = 200
"""EC2 accepts at most 200 values in one filter."""

ProgressCallback = Callable[["ProgressEvent"], None]
ClientFactory = Callable[[str], Any]
"""``factory("ec2")`` → a botocore client (already guarded)."""


# --------------------------------------------------------------------------------------------
# What the collector calls
# --------------------------------------------------------------------------------------------

# Region-wide list kinds read by a full collection (everything in the region).
FULL_KINDS: tuple[str, ...] = (
    "describe-vpcs",
    "describe-subnets",
    "describe-route-tables",
    "describe-internet-gateways",
    "describe-egress-only-internet-gateways",
    "describe-nat-gateways",
    "describe-vpc-endpoints",
    "describe-security-groups",
    "describe-security-group-rules",
    "describe-network-acls",
    "describe-network-interfaces",
    "describe-addresses",
    "describe-prefix-lists",
    "describe-managed-prefix-lists",
    "describe-vpc-peering-connections",
    "describe-transit-gateways",
    "describe-transit-gateway-attachments",
    "describe-transit-gateway-vpc-attachments",
    "describe-transit-gateway-route-tables",
    "describe-dhcp-options",
    "describe-instances",
    "list-functions",
    "list-hosted-zones",
    "list-resolver-rules",
    "list-resolver-rule-associations",
    "list-resolver-endpoints",
    "describe-load-balancers",
    "describe-db-instances",
    "describe-db-clusters",
    "describe-db-proxies",
)

# Per-resource kinds (one call per VPC, function, zone, endpoint, prefix list, TGW route table).
PER_RESOURCE_KINDS: tuple[str, ...] = (
    "describe-vpc-attribute-enableDnsSupport",
    "describe-vpc-attribute-enableDnsHostnames",
    "get-function-configuration",
    "get-function-concurrency",
    "list-provisioned-concurrency-configs",
    "get-hosted-zone",
    "list-resource-record-sets",
    "list-resolver-endpoint-ip-addresses",
    "get-managed-prefix-list-entries",
    "search-transit-gateway-routes",
)

IDENTITY_KIND = "get-caller-identity"

DISCOVERY_OPERATIONS: Mapping[str, tuple[str, str, str]] = {
    # name: (service, operation, IAM action). Calls that only steer a scoped collection; their
    # answers are not snapshot files (the loader does not read them).
    "list-hosted-zones-by-vpc": ("route53", "ListHostedZonesByVPC", "route53:ListHostedZonesByVPC"),
}

COLLECTED_KINDS: tuple[str, ...] = (IDENTITY_KIND, *FULL_KINDS, *PER_RESOURCE_KINDS)


def used_iam_actions() -> list[str]:
    """Every IAM action the collector may call (the read-only policy lists exactly these)."""
    actions = {KINDS_BY_NAME[name].iam_action for name in COLLECTED_KINDS}
    actions.update(action for _, _, action in DISCOVERY_OPERATIONS.values())
    return sorted(actions)


def _allowed_operations() -> set[tuple[str, str]]:
    allowed = {(KINDS_BY_NAME[n].service, KINDS_BY_NAME[n].operation) for n in COLLECTED_KINDS}
    allowed.update((s, o) for s, o, _ in DISCOVERY_OPERATIONS.values())
    return allowed


# Lambda function documents: keys that never leave the collector.
LAMBDA_SECRET_KEYS: tuple[str, ...] = ("Environment",)


def scrub_function(doc: dict[str, Any]) -> dict[str, Any]:
    """Drop environment variables (secrets in practice) from a Lambda function document."""
    for key in LAMBDA_SECRET_KEYS:
        doc.pop(key, None)
    return doc


def _scrub(kind_name: str, data: dict[str, Any]) -> dict[str, Any]:
    data.pop("ResponseMetadata", None)
    if kind_name == "list-functions":
        for fn in data.get("Functions") or []:
            if isinstance(fn, dict):
                scrub_function(fn)
    elif kind_name in ("get-function-configuration",):
        scrub_function(data)
    elif kind_name == "get-function":
        data.pop("Code", None)
        if isinstance(data.get("Configuration"), dict):
            scrub_function(data["Configuration"])
    return data


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


class ProgressKind(StrEnum):
    PLANNED = "planned"
    """``total`` grew: more operations are planned (a phase discovered resources)."""
    STARTED = "started"
    PAGE = "page"
    FINISHED = "finished"
    ERROR = "error"
    """One operation failed and became a gap (collection goes on)."""
    DONE = "done"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressEvent:
    """One step of a collection, for the CLI's progress bar and the TUI."""

    event: ProgressKind
    kind: str | None = None
    owner: str | None = None
    operation: str | None = None
    """``ec2:DescribeVpcs``."""
    pages: int = 0
    """Pages read so far by this operation."""
    error: str | None = None
    done: int = 0
    """Operations finished (ok or gap) so far."""
    total: int = 0
    """Operations planned so far (grows as phases discover resources)."""
    calls: int = 0
    """API calls made so far (pages included)."""
    gaps: int = 0


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
# Sessions and clients
# --------------------------------------------------------------------------------------------


def make_session(profile: str | None = None, region: str | None = None) -> Any:
    """A boto3 session on the standard credential chain; a clear error for a missing profile."""
    import boto3

    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except bexc.ProfileNotFound as error:
        raise CollectionError(
            f"AWS profile {profile!r} not found: check ~/.aws/config or drop --profile"
        ) from error
    except bexc.BotoCoreError as error:
        raise CollectionError(f"cannot set up the AWS session: {error}") from error


def client_config(*, max_workers: int = MAX_WORKERS) -> Config:
    return Config(
        retries={"mode": "adaptive", "max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        max_pool_connections=max(10, max_workers + 2),
        user_agent_extra="vpcdoctor",
    )


class AwsClients:
    """Creates (once per service, thread-safely) read-only clients from an injected session.

    Every client carries the same :class:`ReadOnlyGuard`, which refuses writes and counts calls.
    Extra ``before-call`` / ``before-send`` handlers (fault injection in tests) can be given as
    ``hooks``: ``[(event_name, handler), …]``.
    """

    def __init__(
        self,
        session: Any,
        *,
        region: str | None = None,
        config: Config | None = None,
        guard: ReadOnlyGuard | None = None,
        hooks: Sequence[tuple[str, Callable[..., Any]]] = (),
        max_workers: int = MAX_WORKERS,
    ) -> None:
        self.session = session
        self.region = region or session.region_name
        if not self.region:
            raise CollectionError(
                "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set "
                "region in your AWS profile"
            )
        self.config = config or client_config(max_workers=max_workers)
        self.guard = guard or ReadOnlyGuard(_allowed_operations())
        self.hooks = tuple(hooks)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, service: str) -> Any:
        with self._lock:
            client = self._clients.get(service)
            if client is None:
                client = self._create(service)
                self._clients[service] = client
            return client

    def _create(self, service: str) -> Any:
        try:
            client = self.session.client(service, region_name=self.region, config=self.config)
        except bexc.NoRegionError as error:
            raise CollectionError("no AWS region: pass --region or set AWS_REGION") from error
        except (bexc.UnknownEndpointError, bexc.InvalidRegionError) as error:
            raise CollectionError(
                f"region {self.region!r} has no {service} endpoint ({error}); check --region"
            ) from error
        except bexc.BotoCoreError as error:
            raise CollectionError(f"cannot create the {service} client: {error}") from error
        self.guard.register(client)
        for event, handler in self.hooks:
            client.meta.events.register(event, handler)
        return client

    @property
    def calls(self) -> int:
        return int(self.guard.calls)


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------

_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "Forbidden",
    "403",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
}
_BAD_CREDENTIALS = {
    "ExpiredToken": "your AWS credentials have expired: refresh them (aws sso login, new "
    "session token) and run again",
    "ExpiredTokenException": "your AWS credentials have expired: refresh them (aws sso login, "
    "new session token) and run again",
    "RequestExpired": "the request expired: your credentials or clock are stale; refresh the "
    "credentials and check the system clock",
    "InvalidClientTokenId": "AWS does not recognise the access key: check the profile or "
    "AWS_ACCESS_KEY_ID",
    "UnrecognizedClientException": "AWS does not recognise the access key or token: check "
    "the profile or refresh the credentials",
    "AuthFailure": "AWS could not authenticate the credentials: check the profile or refresh "
    "the credentials",
    "SignatureDoesNotMatch": "AWS rejected the request signature: check AWS_SECRET_ACCESS_KEY "
    "and the system clock",
    "InvalidToken": "the session token is invalid: refresh the credentials",
    "OptInRequired": "this account is not subscribed to the service in this region",
}
_NO_CREDENTIALS = (
    bexc.NoCredentialsError,
    bexc.PartialCredentialsError,
    bexc.CredentialRetrievalError,
    bexc.TokenRetrievalError,
    bexc.NoAuthTokenError,
    bexc.UnauthorizedSSOTokenError,
    bexc.SSOTokenLoadError,
)


def _fault(error: BaseException, *, kind: Kind, region: str, first: bool) -> str:
    """The gap reason for a per-operation fault; raises CollectionError for fatal ones."""
    if isinstance(error, ReadOnlyViolation | VpcDoctorError):
        raise error
    if isinstance(error, _NO_CREDENTIALS):
        raise CollectionError(
            f"no usable AWS credentials ({error}): configure them (aws configure, aws sso "
            "login, AWS_PROFILE) or pass --profile"
        ) from error
    if isinstance(error, bexc.ClientError):
        err = error.response.get("Error", {})
        code = str(err.get("Code") or "")
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in _BAD_CREDENTIALS:
            raise CollectionError(f"{_BAD_CREDENTIALS[code]} ({code})") from error
        if code in _DENIED or (status == 403 and not code):
            return "AccessDenied"
        if code in _THROTTLED or status == 429:
            return f"throttled ({code or status}) after {MAX_ATTEMPTS} attempts"
        if status >= 500:
            return f"AWS server error HTTP {status} {code}".rstrip()
        message = str(err.get("Message") or "").strip()
        if not code or code.isdigit() or message.startswith("<"):
            # Not an AWS error document (an HTML page from a proxy or emulator).
            return f"HTTP {status or code}: the endpoint does not serve this operation"
        first_line = message.splitlines()[0][:200] if message else ""
        return f"{code}: {first_line}" if first_line else code
    if (
        first
        and isinstance(error, bexc.HTTPClientError | bexc.ConnectionError)
        and not isinstance(error, bexc.EndpointConnectionError)
    ):
        # The very first call (sts) cannot get through: nothing else would either.
        raise CollectionError(
            f"the AWS endpoint for region {region!r} does not answer ({error}); check "
            "--region, AWS_ENDPOINT_URL, proxies and the network"
        ) from error
    if isinstance(error, bexc.ConnectTimeoutError | bexc.ReadTimeoutError):
        return f"timeout: {error}"
    if isinstance(error, bexc.ConnectionClosedError):
        return f"connection reset: {error}"
    if isinstance(error, bexc.EndpointConnectionError):
        # A host name that does not resolve or refuses connections: an unknown region, a
        # region without this service, or no network. Nothing useful can follow.
        raise CollectionError(
            f"cannot reach the AWS {kind.service} endpoint for region {region!r} ({error}): "
            "check --region (does the service exist there?), AWS_ENDPOINT_URL and the network"
        ) from error
    if isinstance(error, bexc.UnknownEndpointError | bexc.NoRegionError):
        raise CollectionError(f"region {region!r}: {error}") from error
    if isinstance(error, bexc.HTTPClientError | bexc.ConnectionError):
        return f"connection error: {error}"
    if isinstance(error, bexc.BotoCoreError):
        return f"{type(error).__name__}: {error}"
    if first:
        raise CollectionError(f"AWS call failed: {error}") from error
    return f"{type(error).__name__}: {error}"


# --------------------------------------------------------------------------------------------
# One request, the runner
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Request:
    kind: str
    owner: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    discovery: str | None = None
    """A :data:`DISCOVERY_OPERATIONS` name: steer the collection, do not export."""

    @property
    def operation_label(self) -> str:
        if self.discovery is not None:
            service, op, _ = DISCOVERY_OPERATIONS[self.discovery]
            return f"{service}:{op}"
        k = KINDS_BY_NAME[self.kind]
        return f"{k.service}:{k.operation}"


def _merge_pages(pages: Iterable[dict[str, Any]], iterator: Any) -> dict[str, Any]:
    """Merge paginated responses as the AWS CLI does (botocore's ``build_full_result``)."""
    complete: dict[str, Any] = {}
    for page in pages:
        for expression in iterator.result_keys:
            value = expression.search(page)
            if value is None:
                continue
            existing = expression.search(complete)
            if existing is None:
                set_value_from_jmespath(complete, expression.expression, value)
            elif isinstance(value, list):
                existing.extend(value)
            elif isinstance(value, int | float | str):
                set_value_from_jmespath(complete, expression.expression, existing + value)
    for key, value in (iterator.non_aggregate_part or {}).items():
        complete.setdefault(key, value)
    return complete


def _merge_docs(kind_name: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two outputs of one kind (e.g. peering as requester and as accepter): one document."""
    import json

    list_key = KINDS_BY_NAME[kind_name].list_key
    if list_key is None:
        return old
    seen = {json.dumps(item, sort_keys=True, default=str) for item in old.get(list_key) or []}
    merged = list(old.get(list_key) or [])
    for item in new.get(list_key) or []:
        mark = json.dumps(item, sort_keys=True, default=str)
        if mark not in seen:
            seen.add(mark)
            merged.append(item)
    out = dict(old)
    out[list_key] = merged
    return out


def _clamp_page_size(client: Any, operation: str, size: int) -> int:
    """Raise a requested page size to the operation's minimum (RDS wants at least 20)."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    for name in ("MaxResults", "MaxRecords", "MaxItems"):
        member = shape.members.get(name) if shape is not None else None
        if member is not None:
            low = member.metadata.get("min")
            if isinstance(low, int) and size < low:
                return low
    return size


def _has_id_list(params: Mapping[str, Any]) -> bool:
    return any(key.endswith("Ids") or key.endswith("Id") for key in params)


class _Runner:
    def __init__(
        self,
        clients: ClientFactory,
        *,
        region: str,
        progress: ProgressCallback | None,
        page_size: int | None,
        max_workers: int,
        call_counter: Callable[[], int],
    ) -> None:
        self.clients = clients
        self.region = region
        self.progress = progress
        self.page_size = page_size
        self.pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="vpcdoctor")
        self.call_counter = call_counter
        self.lock = threading.Lock()
        self.outputs: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.order: list[tuple[str, str | None]] = []
        self.gaps: dict[tuple[str, str | None], Gap] = {}
        self.records: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.total = 0
        self.done = 0
        self.first_call_done = False

    # ---- progress ----------------------------------------------------------------------
    def emit(self, event: ProgressKind, req: Request | None = None, **kw: Any) -> None:
        if self.progress is None:
            return
        with self.lock:
            ev = ProgressEvent(
                event=event,
                kind=req.kind if req else None,
                owner=req.owner if req else None,
                operation=req.operation_label if req else None,
                done=self.done,
                total=self.total,
                calls=self.call_counter(),
                gaps=len(self.gaps),
                **kw,
            )
            self.progress(ev)

    # ---- running -----------------------------------------------------------------------
    def run(self, requests: Sequence[Request]) -> dict[Request, dict[str, Any] | None]:
        """Run requests concurrently; return each one's merged data (None for a gap)."""
        requests = list(dict.fromkeys(requests))
        if not requests:
            return {}
        with self.lock:
            self.total += len(requests)
        self.emit(ProgressKind.PLANNED)
        futures: dict[Future[dict[str, Any] | None], Request] = {
            self.pool.submit(self.one, req): req for req in requests
        }
        finished, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for fut in finished:
            if fut.exception() is not None:
                for other in pending:
                    other.cancel()
                wait(pending)
                raise fut.exception()  # type: ignore[misc]
        return {req: fut.result() for fut, req in futures.items()}

    def run_one(self, request: Request) -> dict[str, Any] | None:
        return self.run([request])[request]

    def one(self, req: Request) -> dict[str, Any] | None:
        if req.discovery is not None:
            service, operation, _ = DISCOVERY_OPERATIONS[req.discovery]
            kind_obj = KINDS_BY_NAME[req.kind]
        else:
            kind_obj = KINDS_BY_NAME[req.kind]
            service, operation = kind_obj.service, kind_obj.operation
        self.emit(ProgressKind.STARTED, req)
        pages = 0
        try:
            client = self.clients(service)
            method = xform_name(operation)
            params = dict(req.params)
            if client.can_paginate(method):
                config: dict[str, Any] = {}
                if self.page_size and not _has_id_list(params):
                    config["PageSize"] = _clamp_page_size(client, operation, self.page_size)
                iterator = client.get_paginator(method).paginate(**params, PaginationConfig=config)
                collected: list[dict[str, Any]] = []
                for page in iterator:
                    pages += 1
                    collected.append(page)
                    self.emit(ProgressKind.PAGE, req, pages=pages)
                data = _merge_pages(collected, iterator)
            else:
                data = getattr(client, method)(**params)
                pages = 1
            data = _scrub(req.kind, dict(data))
        except Exception as error:  # classified below; fatal ones re-raised
            with self.lock:
                first = not self.first_call_done
            reason = _fault(error, kind=kind_obj, region=self.region, first=first)
            self._record_gap(req, kind_obj, reason, pages, operation_iam=self._iam(req))
            self.emit(ProgressKind.ERROR, req, pages=pages, error=reason)
            return None
        finally:
            with self.lock:
                self.first_call_done = True
        self._record_ok(req, data, pages)
        with self.lock:
            self.done += 1
        self.emit(ProgressKind.FINISHED, req, pages=pages)
        return data

    @staticmethod
    def _iam(req: Request) -> str:
        if req.discovery is not None:
            return DISCOVERY_OPERATIONS[req.discovery][2]
        return str(KINDS_BY_NAME[req.kind].iam_action)

    def _record_ok(self, req: Request, data: dict[str, Any], pages: int) -> None:
        if req.discovery is not None:
            with self.lock:
                rec = self.records.setdefault(
                    (req.discovery, req.owner), {"status": "ok", "calls": 0, "error": None}
                )
                rec["calls"] += pages
            return
        key = (req.kind, req.owner)
        with self.lock:
            if key in self.outputs:
                self.outputs[key] = _merge_docs(req.kind, self.outputs[key], data)
            else:
                self.outputs[key] = data
                self.order.append(key)
            rec = self.records.setdefault(key, {"status": "ok", "calls": 0, "error": None})
            rec["calls"] += pages

    def _record_gap(
        self, req: Request, kind_obj: Kind, reason: str, pages: int, *, operation_iam: str
    ) -> None:
        key = (req.discovery or req.kind, req.owner)
        with self.lock:
            self.done += 1
            if req.discovery is None:  # a failed discovery call has a fallback, not a gap
                self.gaps.setdefault(
                    key,
                    Gap(kind=req.kind, reason=reason, iam_action=operation_iam, owner=req.owner),
                )
            rec = self.records.setdefault(key, {"status": "gap", "calls": 0, "error": reason})
            rec["status"] = "gap"
            rec["error"] = reason
            rec["calls"] += max(pages, 1)

    # ---- results -----------------------------------------------------------------------
    def data(self, kind_name: str, owner: str | None = None) -> dict[str, Any] | None:
        with self.lock:
            return self.outputs.get((kind_name, owner))

    def items(self, kind_name: str) -> list[dict[str, Any]]:
        data = self.data(kind_name)
        list_key = KINDS_BY_NAME[kind_name].list_key
        if data is None or list_key is None:
            return []
        return [item for item in data.get(list_key) or [] if isinstance(item, dict)]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------------------------
# Planning: what to read
# --------------------------------------------------------------------------------------------


def _f(name: str, values: Iterable[str]) -> dict[str, Any]:
    return {"Name": name, "Values": sorted(set(values))}


def _zone_id(raw: str) -> str:
    return raw.rsplit("/", 1)[-1]


def _referenced_prefix_lists(r: _Runner) -> set[str]:
    ids: set[str] = set()
    for rtb in r.items("describe-route-tables"):
        for route in rtb.get("Routes") or []:
            if route.get("DestinationPrefixListId"):
                ids.add(route["DestinationPrefixListId"])
    for sg in r.items("describe-security-groups"):
        for perm in (sg.get("IpPermissions") or []) + (sg.get("IpPermissionsEgress") or []):
            for pl in perm.get("PrefixListIds") or []:
                if pl.get("PrefixListId"):
                    ids.add(pl["PrefixListId"])
    return ids


def _prefix_list_entry_requests(r: _Runner) -> list[Request]:
    """Entries of customer-managed prefix lists used in routes or security groups."""
    referenced = _referenced_prefix_lists(r)
    # AWS service lists come with their CIDRs from describe-prefix-lists; one without them
    # (seen in emulators) is asked for its entries like a customer-managed one.
    aws_lists = {
        pl.get("PrefixListId") for pl in r.items("describe-prefix-lists") if pl.get("Cidrs")
    }
    managed = {pl.get("PrefixListId"): pl for pl in r.items("describe-managed-prefix-lists")}
    wanted: set[str] = set()
    for pl_id in referenced:
        info = managed.get(pl_id)
        if info is not None:
            if info.get("OwnerId") != "AWS" or pl_id not in aws_lists:
                wanted.add(pl_id)
        elif pl_id not in aws_lists:
            wanted.add(pl_id)  # unknown owner: ask (a denial becomes a gap naming it)
    return [
        Request("get-managed-prefix-list-entries", pl, {"PrefixListId": pl})
        for pl in sorted(wanted)
    ]


def _function_requests(name: str) -> list[Request]:
    return [
        Request("get-function-configuration", name, {"FunctionName": name}),
        Request("get-function-concurrency", name, {"FunctionName": name}),
        Request("list-provisioned-concurrency-configs", name, {"FunctionName": name}),
    ]


def _vpc_attribute_requests(vpc_id: str) -> list[Request]:
    return [
        Request(
            "describe-vpc-attribute-enableDnsSupport",
            vpc_id,
            {"VpcId": vpc_id, "Attribute": "enableDnsSupport"},
        ),
        Request(
            "describe-vpc-attribute-enableDnsHostnames",
            vpc_id,
            {"VpcId": vpc_id, "Attribute": "enableDnsHostnames"},
        ),
    ]


def _zone_requests(zone_id: str) -> list[Request]:
    return [
        Request("get-hosted-zone", zone_id, {"Id": zone_id}),
        Request("list-resource-record-sets", zone_id, {"HostedZoneId": zone_id}),
    ]


def _tgw_route_requests(rtb_ids: Iterable[str]) -> list[Request]:
    return [
        Request(
            "search-transit-gateway-routes",
            rtb,
            {
                "TransitGatewayRouteTableId": rtb,
                "Filters": [{"Name": "state", "Values": ["active", "blackhole"]}],
            },
        )
        for rtb in sorted(set(rtb_ids))
    ]


def _plan_full(r: _Runner) -> None:
    r.run([Request(name) for name in FULL_KINDS])
    second: list[Request] = []
    for vpc in r.items("describe-vpcs"):
        second += _vpc_attribute_requests(vpc["VpcId"])
    for fn in r.items("list-functions"):
        if (fn.get("VpcConfig") or {}).get("SubnetIds"):
            second += _function_requests(fn["FunctionName"])
    for zone in r.items("list-hosted-zones"):
        if (zone.get("Config") or {}).get("PrivateZone"):
            second += _zone_requests(_zone_id(zone["Id"]))
    for ep in r.items("list-resolver-endpoints"):
        second.append(
            Request(
                "list-resolver-endpoint-ip-addresses", ep["Id"], {"ResolverEndpointId": ep["Id"]}
            )
        )
    second += _prefix_list_entry_requests(r)
    second += _tgw_route_requests(
        rt["TransitGatewayRouteTableId"] for rt in r.items("describe-transit-gateway-route-tables")
    )
    r.run(second)


def _vpc_requests(vpc_ids: Sequence[str]) -> list[Request]:
    """VPC-scoped lists for these VPCs (filtered by vpc-id: size of the VPCs, not the account)."""
    v = list(vpc_ids)
    return [
        Request("describe-vpcs", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-subnets", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-route-tables", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-security-groups", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-network-acls", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-network-interfaces", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-instances", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-nat-gateways", None, {"Filter": [_f("vpc-id", v)]}),
        Request("describe-vpc-endpoints", None, {"Filters": [_f("vpc-id", v)]}),
        Request("describe-internet-gateways", None, {"Filters": [_f("attachment.vpc-id", v)]}),
    ]


def _plan_scoped(r: _Runner, function: str) -> None:
    fn_requests = _function_requests(function)
    first = r.run(fn_requests)
    config = first[fn_requests[0]]
    if config is None:
        gap = r.gaps.get(("get-function-configuration", function))
        reason = gap.reason if gap else "unknown error"
        if "ResourceNotFound" in reason:
            raise FunctionNotFound(
                f"no Lambda function {function!r} in region {r.region}: check the name and --region"
            )
        raise CollectionError(
            f"cannot read Lambda function {function!r} ({reason}); grant "
            "lambda:GetFunctionConfiguration or collect without --function"
        )
    vpc_config = config.get("VpcConfig") or {}
    vpc_id = vpc_config.get("VpcId")
    if not vpc_id or not vpc_config.get("SubnetIds"):
        return  # not attached to a VPC: the engine says so; nothing else to read
    zones_by_vpc = Request(
        "get-hosted-zone",
        None,
        {"VPCId": vpc_id, "VPCRegion": r.region},
        discovery="list-hosted-zones-by-vpc",
    )
    region_lists = [
        Request("describe-prefix-lists"),
        Request("list-hosted-zones"),
        Request("list-resolver-rules"),
        Request("list-resolver-endpoints"),
        Request(
            "list-resolver-rule-associations",
            None,
            {"Filters": [{"Name": "VPCId", "Values": [vpc_id]}]},
        ),
        zones_by_vpc,
        Request("describe-load-balancers"),
        Request("describe-db-instances"),
        Request("describe-db-clusters"),
        Request("describe-db-proxies"),
    ]
    pcx_requests = [
        Request(
            "describe-vpc-peering-connections",
            None,
            {"Filters": [_f("requester-vpc-info.vpc-id", [vpc_id])]},
        ),
        Request(
            "describe-vpc-peering-connections",
            None,
            {"Filters": [_f("accepter-vpc-info.vpc-id", [vpc_id])]},
        ),
    ]
    tgw_vpc = [
        Request(
            "describe-transit-gateway-vpc-attachments", None, {"Filters": [_f("vpc-id", [vpc_id])]}
        ),
    ]
    b = r.run(
        [
            *_vpc_requests([vpc_id]),
            *_vpc_attribute_requests(vpc_id),
            *region_lists,
            *pcx_requests,
            *tgw_vpc,
        ]
    )

    # ---- phase C: what the function's VPC names ----------------------------------------
    routes = [
        route for rtb in r.items("describe-route-tables") for route in rtb.get("Routes") or []
    ]
    pcx_ids = {rt["VpcPeeringConnectionId"] for rt in routes if rt.get("VpcPeeringConnectionId")}
    tgw_ids = {rt["TransitGatewayId"] for rt in routes if rt.get("TransitGatewayId")}
    tgw_ids |= {
        a["TransitGatewayId"]
        for a in r.items("describe-transit-gateway-vpc-attachments")
        if a.get("TransitGatewayId")
    }
    eigw_ids = {
        rt["EgressOnlyInternetGatewayId"] for rt in routes if rt.get("EgressOnlyInternetGatewayId")
    }
    peer_vpcs: set[str] = set()
    for pcx in r.items("describe-vpc-peering-connections"):
        if pcx.get("VpcPeeringConnectionId") not in pcx_ids:
            continue
        for side in ("RequesterVpcInfo", "AccepterVpcInfo"):
            info = pcx.get(side) or {}
            if (
                info.get("VpcId")
                and info.get("VpcId") != vpc_id
                and info.get("Region", r.region) == r.region
            ):
                peer_vpcs.add(info["VpcId"])
    dhcp_ids = {v["DhcpOptionsId"] for v in r.items("describe-vpcs") if v.get("DhcpOptionsId")}
    dhcp_ids.discard("default")

    c: list[Request] = []
    if tgw_ids:
        tg = sorted(tgw_ids)
        c += [
            Request("describe-transit-gateways", None, {"Filters": [_f("transit-gateway-id", tg)]}),
            Request(
                "describe-transit-gateway-route-tables",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
            Request(
                "describe-transit-gateway-attachments",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
            Request(
                "describe-transit-gateway-vpc-attachments",
                None,
                {"Filters": [_f("transit-gateway-id", tg)]},
            ),
        ]
    if eigw_ids:
        c.append(
            Request(
                "describe-egress-only-internet-gateways",
                None,
                {"EgressOnlyInternetGatewayIds": sorted(eigw_ids)},
            )
        )
    if dhcp_ids:
        c.append(
            Request("describe-dhcp-options", None, {"Filters": [_f("dhcp-options-id", dhcp_ids)]})
        )
    referenced_pl = _referenced_prefix_lists(r)
    if referenced_pl:
        c.append(
            Request(
                "describe-managed-prefix-lists",
                None,
                {"Filters": [_f("prefix-list-id", referenced_pl)]},
            )
        )
    eni_ids = [
        eni["NetworkInterfaceId"]
        for eni in r.items("describe-network-interfaces")
        if eni.get("InterfaceType") in ("lambda", "nat_gateway")
        or eni.get("SubnetId") in set(vpc_config.get("SubnetIds") or [])
    ]
    for start in range(0, len(eni_ids), FILTER_VALUES_MAX):
        chunk = eni_ids[start : start + FILTER_VALUES_MAX]
        c.append(
            Request("describe-addresses", None, {"Filters": [_f("network-interface-id", chunk)]})
        )
    # Zones associated with the VPC (ListHostedZonesByVPC); if that is denied, every private
    # zone of the account (grows with the account, but only in that degraded case).
    by_vpc = b.get(zones_by_vpc)
    if by_vpc is not None:
        zone_ids = {_zone_id(z["HostedZoneId"]) for z in by_vpc.get("HostedZoneSummaries") or []}
    else:
        zone_ids = {
            _zone_id(z["Id"])
            for z in r.items("list-hosted-zones")
            if (z.get("Config") or {}).get("PrivateZone")
        }
    for zone in sorted(zone_ids):
        c += _zone_requests(zone)
    associated_rules = {a.get("ResolverRuleId") for a in r.items("list-resolver-rule-associations")}
    endpoints = {
        rule["ResolverEndpointId"]
        for rule in r.items("list-resolver-rules")
        if rule.get("Id") in associated_rules and rule.get("ResolverEndpointId")
    }
    for ep in sorted(endpoints):
        c.append(Request("list-resolver-endpoint-ip-addresses", ep, {"ResolverEndpointId": ep}))
    if peer_vpcs:
        c += _vpc_requests(sorted(peer_vpcs))
    r.run(c)

    # ---- phase D: per-resource details of what C found ---------------------------------
    d: list[Request] = []
    d += _prefix_list_entry_requests(r)
    if tgw_ids:
        d += _tgw_route_requests(
            rt["TransitGatewayRouteTableId"]
            for rt in r.items("describe-transit-gateway-route-tables")
        )
        tgw_peer_vpcs = {
            a["VpcId"]
            for a in r.items("describe-transit-gateway-vpc-attachments")
            if a.get("VpcId") and a["VpcId"] != vpc_id and a["VpcId"] not in peer_vpcs
        }
        if tgw_peer_vpcs:
            d += _vpc_requests(sorted(tgw_peer_vpcs))
    r.run(d)


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
