"""Turn any exception from the domain or the environment into words for a person."""

from __future__ import annotations


def describe_error(error: BaseException) -> tuple[str, str]:
    """A person's message and a hint for an exception from the domain or the environment."""
    from vpcdoctor.errors import CollectionError, SnapshotError, VpcDoctorError

    if isinstance(error, SnapshotError):
        return str(error), "Check the snapshot directory, or re-export it with `vpcdoctor export`."
    if isinstance(error, CollectionError):
        return str(error), _collection_hint(str(error))
    if isinstance(error, VpcDoctorError):
        return str(error), ""
    if isinstance(error, NotImplementedError):
        return (
            "This part of vpcdoctor is not available in this build yet.",
            "Update vpcdoctor; meanwhile the CLI may answer (`vpcdoctor check …`).",
        )
    if isinstance(error, ModuleNotFoundError):
        return (
            f"A module vpcdoctor needs is missing: {error.name}.",
            "Reinstall vpcdoctor (`pip install vpcdoctor`).",
        )
    return (
        f"Unexpected {type(error).__name__}: {error}",
        "This is a bug in vpcdoctor; please report it with the command you ran.",
    )


_OFFLINE = "Press r to try again, or work offline: `vpcdoctor --snapshot DIR` or `vpcdoctor demo`."


def _collection_hint(message: str) -> str:
    """What to try for a live collection that stopped (the message already names the cause)."""
    lowered = message.lower()
    if "credential" in lowered or "token" in lowered or "profile" in lowered:
        first = (
            "Check the credentials vpcdoctor sees: `aws sts get-caller-identity` (with the same "
            "--profile / AWS_PROFILE)."
        )
    elif "region" in lowered and "endpoint" not in lowered:
        first = "Pass --region (or set AWS_REGION) to the region of your functions."
    elif "endpoint" in lowered or "does not answer" in lowered or "reach" in lowered:
        first = (
            "Check the network path to AWS: AWS_ENDPOINT_URL, HTTPS_PROXY, VPN, and that the "
            "region exists."
        )
    else:
        first = "Check your AWS credentials and region (`aws sts get-caller-identity`)."
    return f"{first} {_OFFLINE}"
