"""Benchmark fixtures: the volume data is generated once per run and committed to the
(throw-away) test database, so every benchmark reads the same rows.  ``BENCH_CASES``
scales it down for a quick try (default 100 000 cases, 2 000 organisations);
``BENCH_INSERT=bulk_create`` inserts the cases with ``bulk_create`` instead of ``COPY``."""
import os

import pytest


@pytest.fixture(scope="session")
def bench_data(django_db_setup, django_db_blocker):
    from django.db import connection

    from .generate import generate

    if connection.vendor != "postgresql":
        pytest.skip("the benchmarks run on PostgreSQL (set DATABASE_URL)")
    with django_db_blocker.unblock():
        yield generate(n_cases=int(os.environ.get("BENCH_CASES", 100_000)),
                       n_orgs=int(os.environ.get("BENCH_ORGS", 2_000)),
                       method=os.environ.get("BENCH_INSERT", "copy"))
