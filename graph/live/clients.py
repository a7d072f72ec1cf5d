"""Sessions, read-only clients, and what a failing call means (a gap, or one clear error)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import botocore.exceptions as bexc
from botocore.config import Config

from vpcdoctor.errors import CollectionError, ReadOnlyViolation, VpcDoctorError
from vpcdoctor.graph.live.readonly import ReadOnlyGuard
from vpcdoctor.graph.live.requests import (
    CONNECT_TIMEOUT,
    MAX_ATTEMPTS,
    MAX_WORKERS,
    READ_TIMEOUT,
    _allowed_operations,
)
from vpcdoctor.graph.model.kinds import Kind

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
