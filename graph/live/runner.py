"""Runs requests concurrently, merges pages as the AWS CLI does, records gaps and progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from botocore import xform_name
from botocore.utils import set_value_from_jmespath

from vpcdoctor.graph.live.clients import (
    _fault,
)
from vpcdoctor.graph.live.requests import (
    DISCOVERY_OPERATIONS,
    Request,
    _scrub,
)
from vpcdoctor.graph.model import Gap
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME, Kind

ProgressCallback = Callable[["ProgressEvent"], None]
ClientFactory = Callable[[str], Any]
"""``factory("ec2")`` → a botocore client (already guarded)."""

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
# One request, the runner
# --------------------------------------------------------------------------------------------


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
