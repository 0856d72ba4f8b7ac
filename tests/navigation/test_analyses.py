"""Analyses equal hand-computed values on a small fixture; chain mapping; normalisation."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from navigation import analyses, services
from navigation.models import ChainLink, ChainNode, IndustryChain

pytestmark = pytest.mark.django_db

FIXTURE = (
    "公开（公告）号,申请号,申请日,公开（公告）日,标题,申请（专利权）人,发明人,IPC分类号,当前法律状态,被引证次数,简单同族个数,申请人地址\n"
    "CN1A,CN201,2019-03-01,2020-01-01,一种煤气化装置,内蒙古伊泰煤制油有限责任公司；内蒙古大学,张三；李四,C10J 3/00；B01J 23/75,有效,5,2,内蒙古自治区鄂尔多斯市准格尔旗\n"
    "CN2A,CN202,2019-07-01,2020-06-01,煤制烯烃工艺,内蒙古伊泰煤制油股份有限公司,张三,C07C 1/04,失效,0,1,内蒙古自治区鄂尔多斯市东胜区\n"
    "CN3A,CN203,2020-02-01,2021-01-01,一种费托合成催化剂,Yitai Coal Oil Co.，Ltd.,王五,B01J 23/75,实质审查,9,4,北京市海淀区\n"
    "CN4A,CN204,2021-05-01,2022-01-01,一种甲醇制烯烃系统,内蒙古大学；中国科学院山西煤炭化学研究所,李四,C07C 1/20,有效,1,1,内蒙古自治区呼和浩特市\n"
    "US5B,US205,2021-08-01,2022-09-01,Gasifier burner,SASOL TECHNOLOGY (PTY) LTD,John Smith,C10J 3/48,有效,2,6,\n"
)


@pytest.fixture
def loaded(project, run_import):
    imp = run_import(project, SimpleUploadedFile("small.csv", FIXTURE.encode("utf-8")))
    assert imp.status == "done", imp.errors
    return analyses.patents_of(project)


def test_trend_and_life_cycle(loaded):
    rows = {r["year"]: r for r in analyses.trend(loaded)}
    assert [(y, r["applications"]) for y, r in sorted(rows.items())] == [(2019, 2), (2020, 1), (2021, 2), (2022, 0)]
    assert rows[2020]["publications"] == 2 and rows[2022]["publications"] == 2
    # 2019: 伊泰 (two suffix variants = one name) and 内蒙古大学
    assert rows[2019]["applicants"] == 2


def test_top_applicants_merge_suffix_variants_and_aliases(loaded):
    top = {r["name"]: r["patents"] for r in analyses.top_applicants(loaded)}
    assert top["内蒙古伊泰煤制油有限公司"] == 2 and top["内蒙古大学"] == 2
    assert top["YITAI COAL OIL"] == 1
    services.save_alias("Yitai Coal Oil Co., Ltd.", "内蒙古伊泰煤制油有限责任公司")
    top = {r["name"]: r["patents"] for r in analyses.top_applicants(loaded)}
    assert top["内蒙古伊泰煤制油有限公司"] == 3 and "YITAI COAL OIL" not in top


def test_kinds_pairs_ipc_regions_legal(loaded):
    kinds = {r["kind"]: r["patents"] for r in analyses.applicant_kinds(loaded)}
    assert kinds == {"enterprise": 4, "university": 2, "institute": 1}
    pairs = analyses.cooperation_pairs(loaded)
    assert {(p["a"], p["b"], p["patents"]) for p in pairs} == {
        ("内蒙古伊泰煤制油有限公司", "内蒙古大学", 1), ("中国科学院山西煤炭化学研究所", "内蒙古大学", 1)}
    sub = {r["code"]: r["patents"] for r in analyses.ipc_composition(loaded, "subclass")}
    assert sub == {"C10J": 2, "B01J": 2, "C07C": 2}
    assert {r["code"]: r["patents"] for r in analyses.ipc_composition(loaded, "section")} == {"C": 4, "B": 2}
    reg = analyses.regions(loaded)
    assert reg["inner_mongolia"] == 3 and reg["total"] == 5 and reg["im_share"] == 60.0
    assert {r["city"]: r["patents"] for r in reg["im_cities"]} == {"鄂尔多斯": 2, "呼和浩特": 1}
    assert {r["country"]: r["patents"] for r in reg["countries"]} == {"US": 1}
    legal = {r["status"]: r["patents"] for r in analyses.legal_statuses(loaded)}
    assert legal == {"valid": 3, "invalid": 1, "pending": 1}


def test_key_patents_and_inventors(loaded):
    key = analyses.key_patents(loaded)
    assert key["most_cited"][0]["publication_number"] == "CN3A"
    assert key["largest_family"][0]["publication_number"] == "US5B"
    assert key["longest_lived"][0]["publication_number"] == "CN1A"
    inv = {r["name"]: r["patents"] for r in analyses.inventors(loaded)}
    assert inv["张三"] == 2 and inv["李四"] == 2 and inv["王五"] == 1


def test_filters(loaded, project):
    f = analyses.Filters({"year_from": "2020", "legal_status": "valid", "ipc": "c07c", "region": "bogus"})
    assert set(analyses.patents_of(project, f).values_list("publication_number", flat=True)) == set()
    f = analyses.Filters({"year_from": "2020", "legal_status": "valid"})
    assert set(analyses.patents_of(project, f).values_list("publication_number", flat=True)) == {"CN4A", "US5B"}
    f = analyses.Filters({"region": "鄂尔多斯", "year_to": "abc"})
    assert analyses.patents_of(project, f).count() == 2
    f = analyses.Filters({"applicant_kind": "university"})
    assert set(analyses.patents_of(project, f).values_list("publication_number", flat=True)) == {"CN4A"}  # first applicant


def test_keywords_segment_titles(loaded):
    words = {r["word"]: r["patents"] for r in analyses.keywords(loaded)}
    assert words.get("烯烃") == 2


def test_chain_mapping(loaded, project):
    chain = IndustryChain.objects.create(name="测试煤化工链")
    up = ChainLink.objects.create(chain=chain, name="上游", order=0)
    mid = ChainLink.objects.create(chain=chain, name="中游", order=1)
    ChainNode.objects.create(link=up, name="煤气化", ipc_codes="C10J")
    ChainNode.objects.create(link=mid, name="煤制烯烃", ipc_codes="C07C 1", keywords="烯烃")
    ChainNode.objects.create(link=mid, name="费托合成", keywords="费托")
    project.chain = chain
    project.save()
    data = analyses.compute("chain", loaded, project)
    nodes = {n["node"]: n for link in data["links"] for n in link["nodes"]}
    assert nodes["煤气化"]["patents"] == 2 and nodes["煤气化"]["inner_mongolia"] == 1
    assert nodes["煤制烯烃"]["patents"] == 2 and nodes["煤制烯烃"]["im_share"] == 100.0
    assert nodes["费托合成"]["patents"] == 1 and nodes["费托合成"]["inner_mongolia"] == 0
    assert "费托合成" in data["gaps"]
    assert nodes["煤制烯烃"]["leaders"][0]["patents"] == 1


def test_analysis_pages_and_api_render(client, analyst, project, loaded):
    client.force_login(analyst)
    for key in analyses.SECTION_KEYS:
        r = client.get(f"/navigation/projects/{project.pk}/analyses/{key}/?year_from=x&legal_status=<b>")
        assert r.status_code == 200, key
    r = client.get(f"/api/v1/navigation/projects/{project.pk}/analyses/legal/")
    assert r.status_code == 200
    assert {x["status"]: x["patents"] for x in r.json()["data"]["rows"]}["valid"] == 3
    assert client.get(f"/api/v1/navigation/projects/{project.pk}/analyses/nothing/").status_code == 404
    r = client.get("/api/v1/navigation/patents/", {"project": project.pk, "region": "内蒙古"})
    assert r.json()["count"] == 3


def test_technology_effect_matrix(loaded, project):
    from navigation.models import TechEffectTerm

    chain = IndustryChain.objects.create(name="功效测试链")
    TechEffectTerm.objects.create(chain=chain, kind="branch", name="气化", keywords="气化")
    TechEffectTerm.objects.create(chain=chain, kind="branch", name="烯烃", keywords="烯烃")
    TechEffectTerm.objects.create(chain=chain, kind="effect", name="装置", keywords="装置")
    TechEffectTerm.objects.create(chain=chain, kind="effect", name="工艺或系统", keywords="工艺,系统")
    project.chain = chain
    project.save()
    data = analyses.compute("matrix", loaded, project)
    assert data["branches"] == ["气化", "烯烃"] and data["effects"] == ["装置", "工艺或系统"]
    # 一种煤气化装置 | 煤制烯烃工艺, 一种甲醇制烯烃系统
    assert data["cells"] == [[1, 0], [0, 2]]


@pytest.mark.parametrize("query", ["?year_from=%00&year_to=-1&ipc=%27%22<x>&region=%E2%80%AE&applicant_kind=x&legal_status=",
                                   "?project=abc&sort=-nope&page=-3&per_page=99999", "?export=xlsx&project=0"])
def test_hostile_queries_never_500(client, analyst, project, loaded, query):
    client.force_login(analyst)
    for url in (f"/navigation/projects/{project.pk}/analyses/ipc/", "/navigation/patents/", "/navigation/",
                "/api/v1/navigation/patents/", f"/api/v1/navigation/projects/{project.pk}/analyses/regions/"):
        assert client.get(url + query).status_code < 500, url
