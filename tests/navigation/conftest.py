"""Fixtures of the navigation tests: a team, a project and export files written the way
the databases write them."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcenter.accounts import roles
from navigation import demo, services
from tests import factories


@pytest.fixture
def analyst(db):
    return factories.staff(roles.NAVIGATION_ANALYST)


@pytest.fixture
def outsider(db):
    return factories.staff(roles.NAVIGATION_ANALYST)


@pytest.fixture
def project(analyst, org):
    return services.create_project(analyst, name="鄂尔多斯煤化工产业规划类专利导航", project_type="industry",
                                   client_organization=org, topic="煤化工", search_strategy="(煤制烯烃 OR 煤气化)",
                                   databases="incoPat; Lens.org")


def export_file(writer, records, name, **kw):
    buf = io.BytesIO()
    writer(records, buf, **kw)
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def run_import(django_capture_on_commit_callbacks, analyst):
    """Upload, confirm the detected mapping and run the import (eagerly); returns the import."""
    import datetime

    def run(project, uploaded, mapping=None, user=None):
        user = user or analyst
        imp = services.upload_export(project, uploaded, user, cutoff_date=datetime.date(2024, 12, 31))
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import(imp, user, mapping or imp.mapping["columns"])
        imp.refresh_from_db()
        return imp

    return run


@pytest.fixture
def records():
    return demo.generate(60, "coal", seed=7)
