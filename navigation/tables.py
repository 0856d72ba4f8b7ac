"""Each analysis section as plain tables (title, headers, rows): the report PDF prints them
and the XLSX workbook holds them."""
from django.utils.translation import gettext as _


def section_tables(section, data):
    if section == "trend":
        return [(_("年度申请趋势"), [_("年份"), _("申请量"), _("公开量"), _("申请人数")],
                 [[r["year"], r["applications"], r["publications"], r["applicants"]] for r in data["rows"]])]
    if section == "applicants":
        return [(_("主要申请人"), [_("排名"), _("申请人"), _("类型"), _("专利数"), _("有效专利"), _("首次申请年")],
                 [[i, r["name"], r["kind_label"], r["patents"], r["valid"], r["first_year"] or ""]
                  for i, r in enumerate(data["rows"], 1)])]
    if section == "applicant_kinds":
        return [(_("申请人类型"), [_("类型"), _("专利数")], [[r["label"], r["patents"]] for r in data["rows"]])]
    if section == "cooperation":
        return [(_("合作申请"), [_("申请人 A"), _("申请人 B"), _("合作专利数")],
                 [[r["a"], r["b"], r["patents"]] for r in data["rows"]])]
    if section == "ipc":
        return [(_("IPC 部"), [_("部"), _("专利数")], [[r["code"], r["patents"]] for r in data["section"]]),
                (_("IPC 小类"), [_("小类"), _("专利数")], [[r["code"], r["patents"]] for r in data["subclass"]]),
                (_("IPC 大组"), [_("大组"), _("专利数")], [[r["code"], r["patents"]] for r in data["group"]])]
    if section == "regions":
        return [(_("省份分布"), [_("省份"), _("专利数")], [[r["province"], r["patents"]] for r in data["provinces"]]),
                (_("内蒙古各盟市"), [_("盟市"), _("专利数")], [[r["city"], r["patents"]] for r in data["im_cities"]]),
                (_("国外来源国"), [_("国家/地区"), _("专利数")], [[r["country"], r["patents"]] for r in data["countries"]]),
                (_("内蒙古占比"), [_("内蒙古专利"), _("全部专利"), _("占比（%）")],
                 [[data["inner_mongolia"], data["total"], data["im_share"]]])]
    if section == "legal":
        return [(_("法律状态"), [_("法律状态"), _("专利数")], [[r["label"], r["patents"]] for r in data["rows"]])]
    if section == "key_patents":
        headers = [_("公开号"), _("标题"), _("申请人"), _("同族数"), _("被引证"), _("申请日")]

        def rows(items):
            return [[r["publication_number"], r["title"][:60], r["applicants_text"][:40], r["family_size"],
                     r["cited_count"], r["application_date"] or ""] for r in items]
        return [(_("同族规模最大"), headers, rows(data["largest_family"])),
                (_("被引证最多"), headers, rows(data["most_cited"])),
                (_("维持时间最长"), headers, rows(data["longest_lived"]))]
    if section == "inventors":
        return [(_("主要发明人"), [_("发明人"), _("专利数"), _("最近申请年")],
                 [[r["name"], r["patents"], r["last_year"] or ""] for r in data["rows"]])]
    if section == "keywords":
        return [(_("技术热点词"), [_("关键词"), _("专利数")], [[r["word"], r["patents"]] for r in data["rows"]])]
    if section == "clusters":
        return [(_("技术主题聚类"), [_("主题（高频词）"), _("专利数"), _("占样本（%）"), _("年份"), _("高峰年"), _("主要申请人")],
                 [[r["label"], r["patents"], r["share"], f"{r['first_year'] or ''}–{r['last_year'] or ''}",
                   r["peak_year"] or "", "、".join(f"{a['name']}（{a['patents']}）" for a in r["applicants"])]
                  for r in data["rows"]])]
    if section == "matrix":
        return [(_("技术功效矩阵"), [_("技术分支／功效")] + data["effects"],
                 [[b] + row for b, row in zip(data["branches"], data["cells"])])]
    if section == "chain":
        return [(_("产业链导航"), [_("环节"), _("节点"), _("专利数"), _("内蒙古"), _("内蒙古占比（%）"), _("主要申请人")],
                 [[link["link"], n["node"], n["patents"], n["inner_mongolia"], n["im_share"],
                   "、".join(f"{x['name']}（{x['patents']}）" for x in n["leaders"])]
                  for link in data["links"] for n in link["nodes"]])]
    return []
