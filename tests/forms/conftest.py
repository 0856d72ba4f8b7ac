"""The one-time tokens live in the cache, which outlives a test database: start each test empty."""
import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
