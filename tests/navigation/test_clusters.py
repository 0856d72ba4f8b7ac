"""Keyword clusters: two obviously distinct topics of a small fixture land in different
clusters, each with its own leading applicant and years; the clusters follow the page filters."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from navigation import analyses
from navigation.clusters import cluster_documents

pytestmark = pytest.mark.django_db

GASIFICATION = [("一种煤气化炉排渣装置", "本发明涉及煤气化炉，气化剂与粉煤在气化炉内反应，熔渣经排渣口排出，提高气化效率。"),
                ("煤气化炉烧嘴冷却结构", "烧嘴设置于气化炉顶部，粉煤与气化剂经烧嘴喷入气化炉，冷却水保护烧嘴。"),
                ("一种粉煤气化工艺", "粉煤经加压输送进入气化炉，与气化剂反应生成合成气，熔渣排出。"),
                ("气化炉激冷室", "合成气与熔渣进入激冷室，激冷水降温，熔渣固化后排出气化炉。"),
                ("水煤浆气化烧嘴", "水煤浆与气化剂经烧嘴进入气化炉，烧嘴寿命提高，气化效率提高。"),
                ("一种气化炉渣锁斗", "气化炉熔渣经锁斗排出，锁斗泄压，粉煤气化连续运行。")]
MAGNETS = [("一种稀土永磁材料", "钕铁硼永磁体添加镝元素，晶界扩散提高矫顽力，磁体剩磁保持。"),
           ("钕铁硼磁体晶界扩散方法", "在钕铁硼磁体表面涂覆镝铽，晶界扩散后矫顽力提高，永磁体性能稳定。"),
           ("高矫顽力永磁体", "钕铁硼永磁体经烧结、晶界扩散处理，矫顽力与剩磁兼顾。"),
           ("一种烧结钕铁硼制备方法", "钕铁硼合金粉末压制烧结，晶界扩散镝元素，磁体矫顽力提高。"),
           ("稀土永磁电机转子", "转子采用钕铁硼永磁体，磁体剩磁高、矫顽力高，电机效率提高。"),
           ("低镝钕铁硼永磁体", "减少镝用量的钕铁硼磁体，通过晶界扩散获得高矫顽力。")]


def _csv():
    lines = ["公开（公告）号,申请号,申请日,标题,摘要,申请（专利权）人"]
    for i, (title, abstract) in enumerate(GASIFICATION, 1):
        lines.append(f"CN10{i}A,CN2019{i},{2015 + i}-03-01,{title},{abstract},航天长征化学工程股份有限公司")
    for i, (title, abstract) in enumerate(MAGNETS, 1):
        lines.append(f"CN20{i}A,CN2020{i},{2010 + i}-05-01,{title},{abstract},包头稀土研究院")
    return SimpleUploadedFile("topics.csv", ("\n".join(lines) + "\n").encode("utf-8"))


@pytest.fixture
def loaded(project, run_import):
    imp = run_import(project, _csv())
    assert imp.status == "done", imp.errors
    return project


def _groups(data):
    return [{n["name"] for n in r["applicants"]} for r in data["rows"]]


def test_two_distinct_topics_land_in_different_clusters(loaded):
    data = analyses.keyword_clusters(analyses.patents_of(loaded))
    assert data["sample"] == 12
    gas = next(r for r in data["rows"] if any(t in r["terms"] for t in ("气化炉", "气化剂", "烧嘴")))
    mag = next(r for r in data["rows"] if any(t in r["terms"] for t in ("钕铁硼", "矫顽力", "永磁体")))
    assert gas is not mag
    # each topic's cluster holds only its own patents: one applicant each, its own years
    assert [a["name"] for a in gas["applicants"]] == ["航天长征化学工程有限公司"]
    assert [a["name"] for a in mag["applicants"]] == ["包头稀土研究院"]
    assert not set(gas["terms"]) & set(mag["terms"])
    assert 2016 <= gas["first_year"] and gas["last_year"] <= 2021
    assert 2011 <= mag["first_year"] and mag["last_year"] <= 2016
    assert gas["patents"] + mag["patents"] <= 12 and gas["patents"] >= 4 and mag["patents"] >= 4


def test_clusters_follow_the_filters(loaded):
    only_recent = analyses.patents_of(loaded, analyses.Filters({"year_from": "2017"}))
    data = analyses.keyword_clusters(only_recent)
    assert data["sample"] == 5  # the gasification patents of 2017–2021
    assert _groups(data) and all(g == {"航天长征化学工程有限公司"} for g in _groups(data))


def test_the_cluster_page_shows_the_table(client, analyst, loaded, outsider):
    client.force_login(analyst)
    page = client.get(f"/navigation/projects/{loaded.pk}/analyses/clusters/").content.decode()
    assert "技术主题聚类" in page and 'data-testid="clusters"' in page and "包头稀土研究院" in page
    api = client.get(f"/api/v1/navigation/projects/{loaded.pk}/analyses/clusters/").json()
    assert len(api["data"]["rows"]) >= 2
    client.force_login(outsider)
    assert client.get(f"/navigation/projects/{loaded.pk}/analyses/clusters/").status_code == 404


def test_cluster_documents_is_deterministic_and_ignores_isolated_terms():
    docs = [(i, {"alpha", "beta", "gamma"}) for i in range(4)] + [(10 + i, {"delta", "epsilon"}) for i in range(4)]
    docs.append((99, {"lonely"}))
    first = cluster_documents(docs)
    again = cluster_documents(list(reversed(docs)))
    assert [sorted(c.members) for c in first] == [sorted(c.members) for c in again] == [[0, 1, 2, 3], [10, 11, 12, 13]]
    assert cluster_documents([]) == [] and cluster_documents([(1, {"a"})]) == []
