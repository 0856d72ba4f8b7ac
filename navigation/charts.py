"""SVG charts of the analyses (the same for the page and the PDF)."""
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ipcenter.reports import charts


def section_charts(section, data):
    """A list of safe SVG strings for one section's data."""
    out = []
    if section == "trend" and data["rows"]:
        labels = [str(r["year"]) for r in data["rows"]]
        out.append(charts.line_chart([(_("申请量"), [r["applications"] for r in data["rows"]]),
                                      (_("公开量"), [r["publications"] for r in data["rows"]])], labels,
                                     title=_("申请与公开趋势")))
        out.append(charts.line_chart([(_("申请人数"), [r["applicants"] for r in data["rows"]]),
                                      (_("申请量"), [r["applications"] for r in data["rows"]])], labels,
                                     title=_("技术生命周期")))
    elif section == "applicants" and data["rows"]:
        out.append(charts.bar_chart([(r["name"][:18], r["patents"]) for r in data["rows"][:12]],
                                    title=_("主要申请人"), horizontal=True))
    elif section == "applicant_kinds" and data["rows"]:
        out.append(charts.pie_chart([(r["label"], r["patents"]) for r in data["rows"]], title=_("申请人类型")))
    elif section == "ipc" and data["subclass"]:
        out.append(charts.bar_chart([(r["code"], r["patents"]) for r in data["subclass"]], title=_("IPC 小类分布")))
    elif section == "regions":
        if data["provinces"]:
            out.append(charts.bar_chart([(r["province"], r["patents"]) for r in data["provinces"]],
                                        title=_("省份分布")))
        if data["im_cities"]:
            out.append(charts.bar_chart([(r["city"], r["patents"]) for r in data["im_cities"]],
                                        title=_("内蒙古各盟市")))
    elif section == "legal" and data["rows"]:
        out.append(charts.pie_chart([(r["label"], r["patents"]) for r in data["rows"]], title=_("法律状态")))
    elif section == "inventors" and data["rows"]:
        out.append(charts.bar_chart([(r["name"], r["patents"]) for r in data["rows"][:12]], title=_("主要发明人"),
                                    horizontal=True))
    elif section == "keywords" and data["rows"]:
        out.append(charts.bar_chart([(r["word"], r["patents"]) for r in data["rows"][:15]], title=_("技术热点词")))
    elif section == "clusters" and data["rows"]:
        out.append(charts.bar_chart([(r["label"], r["patents"]) for r in data["rows"]], title=_("各技术主题的专利数"),
                                    horizontal=True))
    elif section == "matrix" and data["cells"]:
        totals = [(e, sum(row[j] for row in data["cells"])) for j, e in enumerate(data["effects"])]
        out.append(charts.bar_chart(totals, title=_("各技术功效的专利数")))
    elif section == "chain" and data["links"]:
        out.append(charts.bar_chart([(n["node"], n["patents"]) for link in data["links"] for n in link["nodes"]],
                                    title=_("产业链各节点专利数")))
    return [mark_safe(svg) for svg in out]
