"""Near-duplicate detection compares a new filing with every comparable case, not only the
most recent few hundred: an old near-duplicate among 600+ later cases is found."""
import random

import pytest
from django.db import connection

from prescreen import services
from prescreen.models import PreExamCase, PrescreenSettings
from tests import factories
from tests.prescreen.test_similarity import NEAR_DUPLICATE, ORIGINAL

pytestmark = pytest.mark.django_db

PARTS = ["底座", "转轴", "齿轮箱", "传感器", "控制器", "散热片", "导轨", "电机", "阀门", "泵体", "叶轮", "喷嘴",
         "滤网", "支架", "弹簧", "卡扣", "密封圈", "壳体", "显示屏", "电池仓", "风扇", "加热管", "管路", "储液罐"]


def _filler(rng, i):
    a, b, c, d = rng.sample(PARTS, 4)
    return (f"1. 一种第{i}型{a}装置，其特征在于，包括{a}、{b}和{c}，所述{b}与所述{c}通过{d}连接。"
            f"2. 根据权利要求1所述的装置，其特征在于，所述{d}的表面设有{rng.choice(PARTS)}。")


def _case(org, user, text, field):
    return PreExamCase(organization=org, filed_by=user, title="一种装置", technical_field=field, applicants=org.name,
                       inventors="张三", state=PreExamCase.State.SUBMITTED, claims_abstract_text=text)


@pytest.mark.parametrize("scope", [PrescreenSettings.SimilarityScope.SAME_APPLICANT,
                                   PrescreenSettings.SimilarityScope.ANY])
def test_an_old_near_duplicate_is_found_among_600_later_cases(org, applicant_user, scope):
    cfg = PrescreenSettings.load()
    cfg.similarity_scope = scope
    cfg.save()
    field = factories.field("new-materials")
    rng = random.Random(7)
    oldest = _case(org, applicant_user, ORIGINAL, field)
    oldest.save()
    PreExamCase.objects.bulk_create([_case(org, applicant_user, _filler(rng, i), field) for i in range(650)])
    new = _case(org, applicant_user, NEAR_DUPLICATE, field)
    new.state = PreExamCase.State.DRAFT
    new.save()
    assert PreExamCase.objects.filter(pk__gt=oldest.pk).exclude(pk=new.pk).count() >= 600
    match = services.flag_near_duplicate(new)
    assert match is not None and match[0] == oldest.pk
    new.refresh_from_db()
    assert new.similar_case_id == oldest.pk and new.similarity_score >= 0.8


def test_another_applicants_case_is_not_compared_in_same_applicant_scope(org, other_org, applicant_user,
                                                                        other_applicant):
    field = factories.field("new-materials")
    _case(other_org, other_applicant, ORIGINAL, field).save()
    new = _case(org, applicant_user, NEAR_DUPLICATE, field)
    new.save()
    assert services.flag_near_duplicate(new) is None


def test_the_trigram_index_exists_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index")
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'prescreen_case_claims_trgm'")
        row = cur.fetchone()
    assert row and "gin_trgm_ops" in row[0]
