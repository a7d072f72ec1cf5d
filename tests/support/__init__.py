"""Helpers shared by the tests: account builders, a moto server, DNS servers on 127.0.0.1,
paths, and the small ``run`` / ``blocking`` helpers engine tests use."""
