"""The demo industry-chain taxonomies (chain → links → nodes with IPC prefixes and keywords)."""
from django.db import transaction

from .models import ChainLink, ChainNode, IndustryChain, TechEffectTerm

COAL_CHEMICAL = ("现代煤化工产业链", "鄂尔多斯现代煤化工：煤炭转化—煤基化学品—高端材料与资源综合利用", [
    ("上游：煤炭转化", [
        ("煤气化", "C10J", "煤气化,气化炉"),
        ("煤直接液化", "C10G 1", "直接液化,煤液化"),
        ("煤焦化与兰炭", "C10B", "焦化,兰炭,煤焦油"),
    ]),
    ("中游：煤基化学品", [
        ("费托合成与煤制油", "C10G 2", "费托,煤制油"),
        ("甲醇及甲醇制烯烃", "C07C 1/20,C07C 29/15", "甲醇,MTO,甲醇制"),
        ("煤制烯烃", "C07C 11", "烯烃"),
        ("煤制乙二醇", "C07C 31/20", "乙二醇"),
        ("催化剂", "B01J", "催化剂"),
    ]),
    ("下游：材料与综合利用", [
        ("废水处理与零排放", "C02F", "废水,零排放"),
        ("二氧化碳捕集利用", "B01D 53", "二氧化碳,CO2,捕集"),
        ("高端聚烯烃材料", "C08F 10,C08F 110", "聚乙烯,聚丙烯,聚烯烃"),
    ]),
])

SPECIAL_ALLOY = ("特种合金产业链", "包头特种合金与稀土功能材料：原料冶炼—合金制备—加工与应用", [
    ("上游：原料与冶炼", [
        ("稀土冶炼分离", "C22B 59,C22B 3", "稀土冶炼,萃取分离"),
        ("合金熔炼", "C22C 1,C22B 9", "熔炼,真空感应"),
    ]),
    ("中游：合金材料", [
        ("镍基高温合金", "C22C 19", "高温合金,镍基"),
        ("稀土镁合金", "C22C 23", "镁合金"),
        ("钛合金", "C22C 14", "钛合金"),
        ("铝合金", "C22C 21", "铝合金"),
        ("特种钢与不锈钢", "C22C 38", "不锈钢,特种钢"),
        ("稀土永磁材料", "H01F 1", "永磁"),
    ]),
    ("下游：加工与应用", [
        ("锻造与热处理", "C22F 1,B21J", "锻造,热处理"),
        ("粉末冶金与增材制造", "B22F", "粉末冶金,增材制造,3D打印"),
        ("表面涂层", "C23C", "涂层"),
        ("单晶叶片", "C30B", "单晶,叶片"),
    ]),
])

DEMO_CHAINS = [COAL_CHEMICAL, SPECIAL_ALLOY]

# technology–effect dictionaries: (branches, effects), each (name, keywords)
EFFECT_TERMS = {
    "现代煤化工产业链": (
        [("气化", "气化,气化炉"), ("合成", "合成,费托"), ("催化", "催化剂,催化"), ("分离提纯", "分离,提纯,精馏"),
         ("废水与尾气", "废水,尾气,二氧化碳")],
        [("提高转化率/收率", "转化率,收率"), ("降低能耗", "能耗,节能,低能耗"), ("节水", "节水,水耗"),
         ("减排环保", "减排,环保,零排放"), ("连续稳定", "连续,稳定")]),
    "特种合金产业链": (
        [("高温合金", "高温合金,镍基"), ("镁合金", "镁合金"), ("钛合金", "钛合金"), ("稀土永磁", "永磁"),
         ("涂层", "涂层")],
        [("高强度", "强度,高强"), ("耐高温", "耐高温,高温"), ("耐腐蚀", "耐蚀,耐腐蚀"), ("轻量化", "轻质,轻量"),
         ("低成本", "低成本,成本")]),
}


@transaction.atomic
def ensure_chain(spec):
    """Create a chain from its spec once (an existing chain of that name is left as admins edited it)."""
    name, description, links = spec
    chain, created = IndustryChain.objects.get_or_create(name=name, defaults={"description": description})
    if not created:
        return chain
    branches, effects = EFFECT_TERMS.get(name, ([], []))
    for kind, terms in (("branch", branches), ("effect", effects)):
        for i, (term, keywords) in enumerate(terms):
            TechEffectTerm.objects.create(chain=chain, kind=kind, name=term, keywords=keywords, order=i)
    for li, (link_name, nodes) in enumerate(links):
        link = ChainLink.objects.create(chain=chain, name=link_name, order=li)
        for ni, (node_name, ipcs, keywords) in enumerate(nodes):
            ChainNode.objects.create(link=link, name=node_name, ipc_codes=ipcs, keywords=keywords, order=ni)
    return chain
