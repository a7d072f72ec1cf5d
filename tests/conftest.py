"""Settings every test shares.

Tests never touch the user's real cache (the model cache lives in a per-session temporary
directory, inherited by subprocesses), never probe a VPC resolver, and never reach the EC2
metadata service: network traffic in tests goes only to 127.0.0.1.
"""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    del config
    cache = tempfile.mkdtemp(prefix="vpcdoctor-test-cache-")
    os.chmod(cache, 0o700)
    os.environ["VPCDOCTOR_CACHE_DIR"] = cache
    os.environ["VPCDOCTOR_NO_VPC_RESOLVER_PROBE"] = "1"
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
