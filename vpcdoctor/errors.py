"""One exception root for everything vpcdoctor reports to a person.

Every message is written for the engineer at the terminal: it names the file, resource or
operation involved and says what to do next. The CLI prints ``str(error)`` on one line and
exits with code 2; the TUI shows it in a notification. Nothing else should escape as a
traceback.
"""

from __future__ import annotations


class VpcDoctorError(Exception):
    """Root of every error vpcdoctor raises on purpose."""

    exit_code: int = 2


class SnapshotError(VpcDoctorError):
    """A snapshot directory or one of its files cannot be used.

    The message names the file (and the JSON path inside it where one applies).
    """

    def __init__(self, message: str, *, path: str | None = None, json_path: str | None = None):
        self.path = path
        self.json_path = json_path
        where = ""
        if path is not None:
            where = path if json_path is None else f"{path} at {json_path}"
            where += ": "
        super().__init__(f"{where}{message}")


class CollectionError(VpcDoctorError):
    """Live collection from AWS failed as a whole (no credentials, no endpoint, expired token)."""


class ReadOnlyViolation(VpcDoctorError):
    """An AWS operation that is not a read was about to be sent; vpcdoctor never writes."""


class TargetError(VpcDoctorError):
    """A TARGET argument could not be understood."""


class FunctionNotFound(VpcDoctorError):
    """No Lambda function of that name is in the snapshot."""


class DnsError(VpcDoctorError):
    """A DNS name or name server argument is invalid."""


class WhatIfError(VpcDoctorError):
    """A what-if command (``--assume FILE``, a fix tried in memory) cannot be applied.

    The message names the line of the file it came from, when there is one.
    """

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.line = line
        self.source = source
        self.reason = message
        where = ""
        if source is not None and line is not None:
            where = f"{source}, line {line}: "
        elif line is not None:
            where = f"line {line}: "
        elif source is not None:
            where = f"{source}: "
        super().__init__(f"{where}{message}")
