"""Editing a project's industry chain in the UI: analysts and managers of the team create the
chain, its links and nodes (IPC prefixes, keywords) with field-level errors; the chain
mapping follows at once; everyone else gets 404 and changes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcenter.accounts import roles
from ipcenter.workflow.models import TimelineEvent
from navigation import analyses
from navigation.models import ChainLink, ChainNode, IndustryChain
from tests import factories

from .test_analyses import FIXTURE

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(project, run_import):
    imp = run_import(project, SimpleUploadedFile("small.csv", FIXTURE.encode("utf-8")))
    assert imp.status == "done", imp.errors
    return project


def _links_post(chain_name, rows, initial=()):
    data = {"chain-name": chain_name, "chain-description": "", "links-TOTAL_FORMS": str(len(rows)),
            "links-INITIAL_FORMS": str(len(initial)), "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"links-{i}-{k}"] = v
    return data


def _nodes_post(rows, initial=0):
    data = {"nodes-TOTAL_FORMS": str(len(rows)), "nodes-INITIAL_FORMS": str(initial), "nodes-MIN_NUM_FORMS": "0",
            "nodes-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"nodes-{i}-{k}"] = v
    return data


def _chain_rows(project):
    data = analyses.compute("chain", analyses.patents_of(project), project)
    return {n["node"]: n["patents"] for link in data["links"] for n in link["nodes"]}


def test_the_analyst_builds_a_chain_and_the_mapping_follows(client, analyst, loaded):
    client.force_login(analyst)
    url = f"/navigation/projects/{loaded.pk}/chain/"
    assert client.get(url).status_code == 200
    r = client.post(url, {"chain-name": "煤化工产业链（测试）", "chain-description": "鄂尔多斯"})
    assert r.status_code == 302
    loaded.refresh_from_db()
    chain = loaded.chain
    assert chain.name == "煤化工产业链（测试）"
    r = client.post(url, _links_post(chain.name, [{"name": "上游", "order": "1"}, {"name": "中游", "order": "2"}]))
    assert r.status_code == 302
    mid = ChainLink.objects.get(chain=chain, name="中游")
    r = client.post(f"/navigation/projects/{loaded.pk}/chain/links/{mid.pk}/", _nodes_post([
        {"name": "煤气化", "ipc_codes": "c10j", "keywords": "", "order": "1"},
        {"name": "烯烃", "ipc_codes": "C07C 1", "keywords": "烯烃，甲醇", "order": "2"}]))
    assert r.status_code == 302
    assert ChainNode.objects.get(link=mid, name="烯烃").keywords == "烯烃, 甲醇"
    assert _chain_rows(loaded) == {"煤气化": 2, "烯烃": 2}
    # remove a node: the mapping no longer has it
    gas = ChainNode.objects.get(link=mid, name="煤气化")
    olefin = ChainNode.objects.get(link=mid, name="烯烃")
    r = client.post(f"/navigation/projects/{loaded.pk}/chain/links/{mid.pk}/", _nodes_post([
        {"id": str(gas.pk), "link": str(mid.pk), "name": "煤气化", "ipc_codes": "C10J", "keywords": "", "order": "1",
         "DELETE": "on"},
        {"id": str(olefin.pk), "link": str(mid.pk), "name": "烯烃", "ipc_codes": "C07C 1", "keywords": "烯烃",
         "order": "2"}], initial=2))
    assert r.status_code == 302
    assert _chain_rows(loaded) == {"烯烃": 2}
    page = client.get(f"/navigation/projects/{loaded.pk}/analyses/chain/").content.decode()
    assert "煤化工产业链（测试）" in page and "烯烃" in page
    edits = TimelineEvent.objects.filter(object_id=loaded.pk, action="navigation.navigationproject.chain_edited")
    assert edits.count() == 4


def test_bad_nodes_are_refused_with_field_errors_and_change_nothing(client, analyst, loaded):
    chain = IndustryChain.objects.create(name="特种合金")
    link = ChainLink.objects.create(chain=chain, name="中游", order=1)
    loaded.chain = chain
    loaded.save(update_fields=["chain"])
    client.force_login(analyst)
    url = f"/navigation/projects/{loaded.pk}/chain/links/{link.pk}/"
    r = client.post(url, _nodes_post([{"name": "高温合金", "ipc_codes": "X99Q, C22C 19/05", "keywords": "", "order": "1"},
                                      {"name": "空节点", "ipc_codes": "", "keywords": "", "order": "2"}]))
    assert r.status_code == 400
    page = r.content.decode()
    assert "“X99Q”不是有效的 IPC 分类号前缀" in page and "节点至少需要一个 IPC 分类号或一个关键词" in page
    r = client.post(url, _nodes_post([{"name": "镁合金", "ipc_codes": "C22C 23", "keywords": "", "order": "1"},
                                      {"name": "镁合金", "ipc_codes": "", "keywords": "镁", "order": "2"}]))
    assert r.status_code == 400 and "名称重复" in r.content.decode() and "太短" in r.content.decode()
    r = client.post(f"/navigation/projects/{loaded.pk}/chain/", _links_post("", [{"name": "", "order": "x"}]))
    assert r.status_code == 400 and "请填写产业链名称" in r.content.decode()
    assert ChainNode.objects.filter(link=link).count() == 0
    assert ChainLink.objects.filter(chain=chain).count() == 1 and IndustryChain.objects.get(pk=chain.pk).name == "特种合金"


def test_a_taken_chain_name_is_a_field_error(client, analyst, loaded):
    IndustryChain.objects.create(name="已有产业链")
    client.force_login(analyst)
    r = client.post(f"/navigation/projects/{loaded.pk}/chain/", {"chain-name": "已有产业链"})
    assert r.status_code == 400 and "已有同名的产业链" in r.content.decode()
    loaded.refresh_from_db()
    assert loaded.chain_id is None


def test_others_get_404_and_change_nothing(client, loaded, outsider, org):
    chain = IndustryChain.objects.create(name="外人改不了")
    link = ChainLink.objects.create(chain=chain, name="上游", order=1)
    loaded.chain = chain
    loaded.save(update_fields=["chain"])
    client_user = factories.applicant(org)
    examiner = factories.staff(roles.EXAMINER)
    urls = [f"/navigation/projects/{loaded.pk}/chain/", f"/navigation/projects/{loaded.pk}/chain/links/{link.pk}/"]
    for user in (outsider, client_user, examiner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(urls[0], _links_post("改名", [{"name": "下游", "order": "1"}])).status_code == 404
        assert client.post(urls[1], _nodes_post([{"name": "n", "ipc_codes": "C22C", "order": "1"}])).status_code == 404
    assert IndustryChain.objects.get(pk=chain.pk).name == "外人改不了"
    assert ChainLink.objects.filter(chain=chain).count() == 1 and ChainNode.objects.count() == 0
    # a link of another chain is not reachable through this project
    other = ChainLink.objects.create(chain=IndustryChain.objects.create(name="别的链"), name="x")
    client.force_login(loaded.lead)
    assert client.get(f"/navigation/projects/{loaded.pk}/chain/links/{other.pk}/").status_code == 404


def test_a_manager_edits_the_chain(client, loaded):
    manager = factories.manager()
    client.force_login(manager)
    r = client.post(f"/navigation/projects/{loaded.pk}/chain/", {"chain-name": "经理建的链"})
    assert r.status_code == 302
    loaded.refresh_from_db()
    assert loaded.chain.name == "经理建的链"
