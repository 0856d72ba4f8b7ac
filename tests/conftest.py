"""Suite-wide fixtures: private media in a temp dir, eager Celery, a few users."""
import pytest

from ipcenter.accounts import roles
from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from ipcenter.files.models import private_storage

    from django.utils.functional import empty

    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


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
