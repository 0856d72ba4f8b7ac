"""The demo data: both projects, filled from the shipped exports through the import service."""
import io

import pytest

from ipcenter.accounts import roles
from navigation import parsing, seed
from navigation.models import NavigationProject, PatentImport
from tests import factories

pytestmark = pytest.mark.django_db


def test_shipped_demo_files_are_detected_as_their_databases():
    expected = {"煤化工-incoPat导出-GB18030.csv": ("chinese", "gb18030"), "煤化工-Lens导出.csv": ("lens", "utf-8-sig"),
                "煤化工-GooglePatents导出.csv": ("google", "utf-8-sig")}
    for name, (source, encoding) in expected.items():
        with open(seed.DEMO_DIR / name, "rb") as fh:
            d = parsing.detect_csv(fh)
        assert (d.source, d.encoding) == (source, encoding), name
    with open(seed.DEMO_DIR / "特种合金-PatSnap导出.xlsx", "rb") as fh:
        assert parsing.detect_xlsx(fh).source == "chinese"


def test_seed_builds_both_projects_and_is_rerunnable(django_capture_on_commit_callbacks):
    ctx = {"users": {"analyst": factories.staff(roles.NAVIGATION_ANALYST), "manager": factories.manager()},
           "orgs": {"ordos-coal": factories.OrganizationFactory(), "rare-earth": factories.OrganizationFactory()},
           "stdout": io.StringIO()}
    with django_capture_on_commit_callbacks(execute=True):
        seed.seed(ctx)
    coal = NavigationProject.objects.get(name__startswith="鄂尔多斯")
    alloy = NavigationProject.objects.get(name__startswith="特种合金")
    assert set(coal.imports.values_list("status", flat=True)) == {PatentImport.Status.DONE}
    # three overlapping exports of 3,000 generated patents merge into 3,000
    assert coal.patents.count() == 3000
    assert alloy.patents.count() == 2500
    assert coal.chain is not None and coal.chain.links.count() == 3
    seed.seed(ctx)
    assert NavigationProject.objects.count() == 2
