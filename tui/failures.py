"""Turn any exception from the domain or the environment into words for a person."""

from __future__ import annotations


def describe_error(error: BaseException) -> tuple[str, str]:
    """A person's message and a hint for an exception from the domain or the environment."""
    from vpcdoctor.errors import CollectionError, SnapshotError, VpcDoctorError

    if isinstance(error, SnapshotError):
        return str(error), "Check the snapshot directory, or re-export it with `vpcdoctor export`."
    if isinstance(error, CollectionError):
        return str(error), (
            "Check your AWS credentials (--profile, --region, `aws sts get-caller-identity`), "
            "or work offline with `vpcdoctor --snapshot DIR` / `vpcdoctor demo`."
        )
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
