"""The read-only guard: no AWS operation that is not a read ever leaves vpcdoctor.

vpcdoctor runs with an on-call engineer's credentials, which usually can change things. The
guard makes "read-only" a property of every client vpcdoctor creates rather than a promise of
the code that calls it: a botocore ``before-call`` handler (emitted by the client before the
request is signed or sent, and before any retry) raises :class:`ReadOnlyViolation` for an
operation whose name does not begin with ``Describe``, ``List``, ``Get`` or ``Search``, and,
when the client was given an allow-list, for any operation not on it.

``before-call`` fires once per API call (each page of a paginator is a call), so the same hook
also counts calls for the benchmark and the manifest.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from vpcdoctor.errors import ReadOnlyViolation

READ_PREFIXES: tuple[str, ...] = ("Describe", "List", "Get", "Search")
"""Operation-name prefixes of AWS read APIs. Everything else is refused."""


def is_read_operation(name: str) -> bool:
    """True when ``name`` (a botocore operation name such as ``DescribeVpcs``) is a read."""
    return any(
        name.startswith(prefix) and name[len(prefix) : len(prefix) + 1].isupper()
        for prefix in READ_PREFIXES
    )


class ReadOnlyGuard:
    """A ``before-call`` handler that refuses writes and counts the calls that pass.

    One guard may be registered on several clients (one per service); it is thread-safe.
    """

    def __init__(self, allowed: Iterable[tuple[str, str]] | None = None) -> None:
        self._allowed = (
            frozenset((service, op) for service, op in allowed) if allowed is not None else None
        )
        self._lock = threading.Lock()
        self._calls: Counter[tuple[str, str]] = Counter()

    # botocore calls the handler with keyword arguments only.
    def __call__(self, *, model: Any, **_: Any) -> None:
        operation = str(model.name)
        service = str(model.service_model.service_name)
        if not is_read_operation(operation):
            raise ReadOnlyViolation(
                f"refused {service}:{operation}: vpcdoctor only reads (Describe*, List*, Get*, "
                "Search*); this is a bug in vpcdoctor, please report it"
            )
        if self._allowed is not None and (service, operation) not in self._allowed:
            raise ReadOnlyViolation(
                f"refused {service}:{operation}: not one of the read operations vpcdoctor "
                "declares in graph/kinds.py (and its IAM policy); this is a bug in vpcdoctor"
            )
        with self._lock:
            self._calls[(service, operation)] += 1

    @property
    def calls(self) -> int:
        """API calls that passed the guard so far (pages included, retries not)."""
        with self._lock:
            return sum(self._calls.values())

    def operations(self) -> dict[tuple[str, str], int]:
        """Calls per ``(service, operation)`` so far."""
        with self._lock:
            return dict(self._calls)

    def register(self, client: Any) -> Any:
        """Attach the guard to ``client`` (every operation of it) and return the client."""
        client.meta.events.register("before-call.*.*", self, unique_id=f"vpcdoctor-ro-{id(self)}")
        return client


def guard_client(client: Any, guard: ReadOnlyGuard | None = None) -> Any:
    """Make ``client`` read-only (a fresh guard unless one is given) and return it."""
    return (guard or ReadOnlyGuard()).register(client)
