"""Live AWS, read-only: the boto3 collector, the guard that refuses any non-read call, and
``export`` (a collection written as a snapshot)."""
