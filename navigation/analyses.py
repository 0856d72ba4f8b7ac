"""The landscape analyses of a project's patents: each is one selector computed by
database aggregation and used alike by the analysis page, the report PDF/XLSX and the API."""
import hashlib
from collections import Counter, defaultdict
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from . import parsing
from .models import (ApplicantAlias, ApplicantKind, LegalStatus, Patent, PatentApplicant, PatentClassification,
                     PatentInventor)

SECTIONS = [
    ("trend", _("申请趋势与技术生命周期")),
    ("applicants", _("主要申请人")),
    ("applicant_kinds", _("申请人类型")),
    ("cooperation", _("合作申请")),
    ("ipc", _("技术构成（IPC）")),
    ("regions", _("区域分布")),
    ("legal", _("法律状态")),
    ("key_patents", _("重点专利")),
    ("inventors", _("发明人与团队")),
    ("keywords", _("技术热点词")),
    ("clusters", _("技术主题聚类")),
    ("matrix", _("技术功效矩阵")),
    ("chain", _("产业链导航")),
]
SECTION_KEYS = [k for k, _l in SECTIONS]
SECTION_LABELS = dict(SECTIONS)


class Filters:
    """The page's filters, validated (bad values are ignored, never a 500)."""

    def __init__(self, data=None):
        data = data or {}
        self.year_from = self._int(data.get("year_from"))
        self.year_to = self._int(data.get("year_to"))
        self.ipc = parsing.header_key(data.get("ipc", "")).upper()[:12]
        self.region = str(data.get("region", "")).strip()[:20]
        kinds = dict(ApplicantKind.choices)
        self.applicant_kind = data.get("applicant_kind") if data.get("applicant_kind") in kinds else ""
        statuses = dict(LegalStatus.choices)
        self.legal_status = data.get("legal_status") if data.get("legal_status") in statuses else ""

    @staticmethod
    def _int(value):
        try:
            v = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return v if 1900 <= v <= 2100 else None

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if v not in (None, "")}

    def apply(self, qs):
        if self.year_from:
            qs = qs.filter(application_year__gte=self.year_from)
        if self.year_to:
            qs = qs.filter(application_year__lte=self.year_to)
        if self.ipc:
            qs = qs.filter(pk__in=PatentClassification.objects.filter(code__startswith=self.ipc).values("patent_id"))
        if self.region:
            if self.region in dict(parsing.PROVINCES):
                qs = qs.filter(province=self.region)
            elif self.region in parsing.IM_CITIES:
                qs = qs.filter(city=self.region)
            else:
                qs = qs.filter(country=self.region.upper())
        if self.applicant_kind:
            qs = qs.filter(applicant_kind=self.applicant_kind)
        if self.legal_status:
            qs = qs.filter(legal_status=self.legal_status)
        return qs


def patents_of(project, filters=None):
    """The project's patents under the filters (``project`` is already visible to the user)."""
    qs = Patent.objects.filter(project=project)
    return (filters or Filters()).apply(qs)


def _ids(patents):
    return patents.values("pk")


def canonical_name():
    """The applicant's name after the editable alias table."""
    alias = ApplicantAlias.objects.filter(alias=OuterRef("normalized")).values("canonical")[:1]
    return Coalesce(Subquery(alias), F("normalized"))


# --- the selectors -----------------------------------------------------------------------

def trend(patents):
    """Applications and publications per year, and applicants per year (life cycle)."""
    apps = dict(patents.exclude(application_year=None).values_list("application_year")
                .annotate(n=Count("pk")).order_by())
    pubs = dict(patents.exclude(publication_year=None).values_list("publication_year")
                .annotate(n=Count("pk")).order_by())
    applicants = dict(PatentApplicant.objects.filter(patent__in=_ids(patents)).exclude(patent__application_year=None)
                      .values_list("patent__application_year").annotate(n=Count("normalized", distinct=True))
                      .order_by())
    years = sorted(set(apps) | set(pubs))
    if years:
        years = list(range(years[0], years[-1] + 1))
    return [{"year": y, "applications": apps.get(y, 0), "publications": pubs.get(y, 0),
             "applicants": applicants.get(y, 0)} for y in years]


def life_cycle_stage(rows):
    """A plain reading of the curve: growth when both counts rose over the last three years."""
    rows = [r for r in rows if r["applications"]]
    if len(rows) < 4:
        return ""
    a, b = rows[-4], rows[-1]
    if b["applications"] > a["applications"] * 1.2 and b["applicants"] > a["applicants"]:
        return str(_("成长期"))
    if b["applications"] < a["applications"] * 0.8 and b["applicants"] < a["applicants"]:
        return str(_("衰退期"))
    return str(_("成熟期"))


def top_applicants(patents, limit=20):
    rows = (PatentApplicant.objects.filter(patent__in=_ids(patents)).annotate(canonical=canonical_name())
            .values("canonical").annotate(patents=Count("patent", distinct=True), kind=Max("kind"),
                                          first_year=Min("patent__application_year"),
                                          valid=Count("patent", distinct=True, filter=Q(patent__legal_status="valid")))
            .order_by("-patents", "canonical")[:limit])
    labels = dict(ApplicantKind.choices)
    return [{"name": r["canonical"], "patents": r["patents"], "valid": r["valid"], "kind": r["kind"],
             "kind_label": str(labels.get(r["kind"], r["kind"])), "first_year": r["first_year"]} for r in rows]


def applicant_kinds(patents):
    labels = dict(ApplicantKind.choices)
    rows = (PatentApplicant.objects.filter(patent__in=_ids(patents)).values("kind")
            .annotate(patents=Count("patent", distinct=True)).order_by("-patents"))
    return [{"kind": r["kind"], "label": str(labels.get(r["kind"], r["kind"])), "patents": r["patents"]} for r in rows]


def cooperation_pairs(patents, limit=15):
    """Co-applicant pairs by the number of joint patents (names after the alias table): only
    patents with a second applicant (position 1) are read."""
    sub_sql, sub_params = _ids(patents).order_by().query.sql_with_params()
    a, al = PatentApplicant._meta.db_table, ApplicantAlias._meta.db_table
    sql = f"""
        WITH joint AS (
            SELECT s.patent_id FROM {a} s WHERE s.position = 1 AND s.patent_id IN ({sub_sql})),
        names AS (
            SELECT DISTINCT x.patent_id, COALESCE(al.canonical, x.normalized) AS name
            FROM joint JOIN {a} x ON x.patent_id = joint.patent_id LEFT JOIN {al} al ON al.alias = x.normalized)
        SELECT p.name, q.name, COUNT(*) FROM names p JOIN names q ON p.patent_id = q.patent_id AND p.name < q.name
        GROUP BY p.name, q.name ORDER BY COUNT(*) DESC, p.name, q.name LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sub_params, limit])
        return [{"a": x, "b": y, "patents": n} for x, y, n in cursor.fetchall()]


IPC_LEVELS = {"section": "section", "class": "klass", "subclass": "subclass", "group": "group"}


def ipc_composition(patents, level="subclass", limit=15):
    column = IPC_LEVELS.get(level, "subclass")
    rows = (PatentClassification.objects.filter(patent__in=_ids(patents)).values(column)
            .annotate(patents=Count("patent", distinct=True)).order_by("-patents", column)[:limit])
    return [{"code": r[column], "patents": r["patents"]} for r in rows]


def regions(patents):
    """Provinces of Chinese applicants, Inner Mongolia's leagues/cities, foreign countries, and
    Inner Mongolia's share of the whole set."""
    total = patents.count()
    provinces = list(patents.exclude(province="").values("province").annotate(patents=Count("pk"))
                     .order_by("-patents", "province")[:15])
    cities = list(patents.filter(province=parsing.INNER_MONGOLIA).exclude(city="").values("city")
                  .annotate(patents=Count("pk")).order_by("-patents", "city"))
    countries = list(patents.exclude(country="").exclude(country="CN").values("country")
                     .annotate(patents=Count("pk")).order_by("-patents", "country")[:15])
    im = patents.filter(province=parsing.INNER_MONGOLIA).count()
    return {"total": total, "provinces": provinces, "im_cities": cities, "countries": countries,
            "inner_mongolia": im, "im_share": round(100 * im / total, 1) if total else 0}


def legal_statuses(patents):
    labels = dict(LegalStatus.choices)
    rows = patents.values("legal_status").annotate(patents=Count("pk")).order_by("-patents")
    return [{"status": r["legal_status"], "label": str(labels.get(r["legal_status"])), "patents": r["patents"]}
            for r in rows]


def key_patents(patents, limit=10):
    fields = ("pk", "publication_number", "title", "applicants_text", "family_size", "cited_count",
              "application_date", "legal_status")
    return {
        "largest_family": list(patents.order_by("-family_size", "publication_number").values(*fields)[:limit]),
        "most_cited": list(patents.order_by("-cited_count", "publication_number").values(*fields)[:limit]),
        "longest_lived": list(patents.filter(legal_status="valid").exclude(application_date=None)
                              .order_by("application_date", "publication_number").values(*fields)[:limit]),
    }


def inventors(patents, limit=20):
    # an inventor is stored once per patent (the import splits a cell into distinct names), so
    # counting the rows counts the patents without a DISTINCT sort
    rows = (PatentInventor.objects.filter(patent__in=_ids(patents)).values("name")
            .annotate(patents=Count("pk"), last_year=Max("patent__application_year"))
            .order_by("-patents", "name")[:limit])
    return list(rows)


KEYWORD_SAMPLE = 3000
_STOP = set("一种 及其 方法 装置 系统 制备 用于 以及 基于 包括 其中 所述 一个 进行 具有 用途 应用 生产 工艺 设备 "
            "method system device apparatus and the for of with using".split())


def _segmenter():
    try:
        import jieba

        return jieba.lcut
    except ImportError:  # pragma: no cover - jieba is pinned
        return lambda text: [text[i:i + 2] for i in range(len(text) - 1)]


def _terms(text, cut):
    """The technical terms of a text: jieba words of two or more characters, no stop words
    or numbers, lower case."""
    words = {w.strip().lower() for w in cut(text or "") if len(w.strip()) >= 2}
    return {w for w in words if w not in _STOP and not w.isdigit()}


def keywords(patents, limit=30):
    """The most frequent terms of the titles (jieba segmentation) over the latest
    ``KEYWORD_SAMPLE`` patents of the selection, with how many patents use each."""
    cut = _segmenter()
    counts = Counter()
    titles = patents.order_by("-application_date").values_list("title", flat=True)[:KEYWORD_SAMPLE]
    for title in titles:
        counts.update(_terms(title, cut))
    return [{"word": w, "patents": n} for w, n in counts.most_common(limit)]


CLUSTER_SAMPLE = 2000
CLUSTER_ABSTRACT_CHARS = 150


def keyword_clusters(patents):
    """Topic clusters of the latest ``CLUSTER_SAMPLE`` patents of the selection (so the cost
    does not grow with the data): terms of the title and the abstract's beginning, grouped by
    co-occurrence (``clusters.cluster_documents``); per cluster its label (top terms), size and
    share of the sample, years and leading applicants (one query for all clusters)."""
    from .clusters import cluster_documents

    sample = list(patents.order_by("-application_date", "-pk").values_list(
        "pk", "title", "abstract", "application_year")[:CLUSTER_SAMPLE])
    # the same sample (ids and titles) has the same clusters: segmented once
    digest = hashlib.sha1()
    for pk, title, _abstract, _year in sample:
        digest.update(f"{pk}\x1f{title}\x1e".encode())
    key = f"navigation:clusters:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        cut = _segmenter()
        docs = [(pk, _terms(f"{title} {(abstract or '')[:CLUSTER_ABSTRACT_CHARS]}", cut))
                for pk, title, abstract, _year in sample]
        found = cluster_documents(docs)
        cache.set(key, found, 24 * 3600)
    year_of = {pk: year for pk, _t, _a, year in sample}
    ids = [m for c in found for m in c.members]
    names = defaultdict(set)
    for patent_id, name in (PatentApplicant.objects.filter(patent_id__in=ids).annotate(canonical=canonical_name())
                            .values_list("patent_id", "canonical")):
        names[patent_id].add(name)
    rows = []
    for c in found:
        years = Counter(year_of[m] for m in c.members if year_of.get(m))
        leaders = Counter(n for m in c.members for n in names.get(m, ()))
        rows.append({
            "label": c.label, "terms": c.terms[:10], "patents": len(c.members),
            "share": round(100 * len(c.members) / len(sample), 1) if sample else 0,
            "first_year": min(years) if years else None, "last_year": max(years) if years else None,
            "peak_year": min(years, key=lambda y: (-years[y], y)) if years else None,
            "applicants": [{"name": n, "patents": k}
                           for n, k in sorted(leaders.items(), key=lambda x: (-x[1], x[0]))[:3]],
        })
    return {"sample": len(sample), "clustered": len(ids), "rows": rows}


def node_q(node):
    """Patents a chain node covers: any of its IPC prefixes, or any keyword in title/abstract."""
    parts = []
    ipcs = node.ipc_list()
    if ipcs:
        parts.append(Q(pk__in=PatentClassification.objects.filter(
            reduce(or_, [Q(code__startswith=c) for c in ipcs])).values("patent_id")))
    for kw in node.keyword_list():
        parts.append(Q(title__icontains=kw) | Q(abstract__icontains=kw))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def chain_mapping(patents, chain, top=3):
    """Per node of the chain: patents, recent trend, leading applicants, Inner Mongolia's share."""
    if chain is None:
        return []
    result = []
    for link in chain.links.prefetch_related("nodes"):
        nodes = []
        for node in link.nodes.all():
            covered = patents.filter(node_q(node))
            agg = covered.aggregate(n=Count("pk"), im=Count("pk", filter=Q(province=parsing.INNER_MONGOLIA)))
            years = dict(covered.exclude(application_year=None).values_list("application_year")
                         .annotate(c=Count("pk")).order_by())
            leaders = top_applicants(covered, limit=top) if agg["n"] else []
            nodes.append({"node": node.name, "patents": agg["n"], "inner_mongolia": agg["im"],
                          "im_share": round(100 * agg["im"] / agg["n"], 1) if agg["n"] else 0,
                          "trend": sorted(years.items()), "leaders": leaders})
        result.append({"link": link.name, "nodes": nodes})
    return result


def chain_strengths(mapping, total_im):
    """Strong links (IM share above its overall share) and gaps (no or few IM patents)."""
    strong, gaps = [], []
    for link in mapping:
        for n in link["nodes"]:
            if n["patents"] and n["inner_mongolia"] == 0:
                gaps.append(n["node"])
            elif n["patents"] and n["im_share"] >= total_im and n["inner_mongolia"] >= 3:
                strong.append(n["node"])
    return strong, gaps


def _text_q(words):
    return reduce(or_, [Q(title__icontains=w) | Q(abstract__icontains=w) for w in words]) if words else Q(pk__in=[])


def tech_effect_matrix(patents, chain):
    """Patents per (technical branch, effect) of the chain's dictionary, in one aggregate query."""
    if chain is None:
        return {"branches": [], "effects": [], "cells": []}
    terms = list(chain.effect_terms.all())
    branches = [t for t in terms if t.kind == "branch"]
    effects = [t for t in terms if t.kind == "effect"]
    if not branches or not effects:
        return {"branches": [b.name for b in branches], "effects": [e.name for e in effects], "cells": []}
    aggregates = {}
    for i, b in enumerate(branches):
        for j, e in enumerate(effects):
            aggregates[f"c{i}_{j}"] = Count("pk", filter=_text_q(b.keyword_list()) & _text_q(e.keyword_list()))
    counts = patents.aggregate(**aggregates)
    cells = [[counts[f"c{i}_{j}"] for j in range(len(effects))] for i in range(len(branches))]
    return {"branches": [b.name for b in branches], "effects": [e.name for e in effects], "cells": cells,
            "rows": [[b.name, row] for b, row in zip(branches, cells)]}


def overview(patents):
    return patents.aggregate(patents=Count("pk"), valid=Count("pk", filter=Q(legal_status="valid")),
                             first_year=Min("application_year"), last_year=Max("application_year"),
                             cited=Coalesce(Max("cited_count"), Value(0), output_field=IntegerField()))


def compute(section, patents, project):
    """The data of one report/page section, computed with PostgreSQL's JIT compiler off (on
    these sub-second aggregations — self-joins whose row estimates are large — compiling took
    up to a second, several times the query itself) and room for the sorts in memory."""
    if connection.vendor != "postgresql":
        return _compute(section, patents, project)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        # the COUNT(DISTINCT …) sorts of 100k+ rows stay in memory instead of spilling to disk
        cursor.execute("SET LOCAL work_mem = '64MB'")
        return _compute(section, patents, project)


def _compute(section, patents, project):
    if section == "trend":
        rows = trend(patents)
        return {"rows": rows, "stage": life_cycle_stage(rows)}
    if section == "applicants":
        return {"rows": top_applicants(patents)}
    if section == "applicant_kinds":
        return {"rows": applicant_kinds(patents)}
    if section == "cooperation":
        return {"rows": cooperation_pairs(patents)}
    if section == "ipc":
        return {"subclass": ipc_composition(patents, "subclass"), "group": ipc_composition(patents, "group"),
                "section": ipc_composition(patents, "section")}
    if section == "regions":
        return regions(patents)
    if section == "legal":
        return {"rows": legal_statuses(patents)}
    if section == "key_patents":
        return key_patents(patents)
    if section == "inventors":
        return {"rows": inventors(patents)}
    if section == "keywords":
        return {"rows": keywords(patents)}
    if section == "clusters":
        return keyword_clusters(patents)
    if section == "matrix":
        return tech_effect_matrix(patents, project.chain)
    if section == "chain":
        mapping = chain_mapping(patents, project.chain)
        share = regions(patents)["im_share"]
        strong, gaps = chain_strengths(mapping, share)
        return {"chain": str(project.chain) if project.chain_id else "", "links": mapping, "strong": strong,
                "gaps": gaps}
    raise KeyError(section)
