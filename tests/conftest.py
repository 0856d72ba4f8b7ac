"""Suite-wide fixtures: private media in a temp dir, eager Celery, a few users, the browser."""
import os

import pytest

from ipcenter.accounts import roles
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from ipcenter.files.models import private_storage

    from django.utils.functional import empty

    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _default_language():
    """A request with the English language cookie leaves English active in the thread (the
    locale middleware activates it, nothing deactivates it): every test ends in the default
    language, so the next one does not store or compare texts in English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_namespace(worker_id):
    """Each pytest process gets its own key prefix in the shared Redis, so one worker's
    ``clear_cache()`` never wipes the one-time tokens or rate limits another worker's test holds."""
    import copy

    from django.conf import settings
    from django.test import override_settings

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{worker_id}-{os.getpid()}"
    with override_settings(CACHES=caches):
        yield


def clear_cache():
    """Empty this process's part of the cache (``cache.clear()`` would FLUSHDB the shared Redis)."""
    from django.core.cache import cache

    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:
        cache.clear()
        return
    redis = client(None, write=True)
    keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        redis.delete(*keys)


@pytest.fixture(autouse=True)
def _empty_cache():
    """One-time tokens, rate limits and throttles live in the cache, which outlives a test's
    database rollback: every test starts and ends with an empty cache."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_picklists():
    """Each test's rows are rolled back, which no signal reports: forget cached pick lists."""
    from ipcenter import picklists

    picklists.clear()
    yield
    picklists.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    from ipcenter.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _small_demo_volume(settings):
    """``seed_demo`` in a test builds the small volume (every state, a few rows each) unless
    the test asks for ``volume="full"``."""
    settings.DEMO_VOLUME = "small"


@pytest.fixture
def org(db):
    return factories.OrganizationFactory()


@pytest.fixture
def other_org(db):
    return factories.OrganizationFactory()


@pytest.fixture
def applicant_user(org):
    return factories.applicant(org)


@pytest.fixture
def other_applicant(other_org):
    return factories.applicant(other_org)


@pytest.fixture
def manager_user(db):
    return factories.manager()


@pytest.fixture
def examiner_user(db):
    return factories.examiner()


@pytest.fixture
def station_user(db):
    return factories.staff(roles.STATION_STAFF, "baotou")


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Browser fixtures (Playwright driving the system Chromium) -------------------------------
# Defined once here: a second definition imported into a test module would start a second
# sync_playwright() in the same worker, which Playwright refuses ("Sync API inside the asyncio loop").
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
