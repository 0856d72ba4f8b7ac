"""Big list exports as jobs: ``ObjectListView?export=xlsx`` above the threshold stores the page's
path and query (never a queryset), and the worker builds the list again through the same view
for the requesting user — its access rule, ``visible_to`` scoping and FilterSet — streaming the
rows into the workbook."""
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import job_kind
from .xlsx import XLSX_TYPE, write_xlsx

KIND = "core.list_export"


def request_list_export(request, title):
    from .services import request_job

    query = request.GET.copy()
    query.pop("export", None)
    return request_job(KIND, request.user, {"path": request.path, "query": query.urlencode()},
                       title=_("导出：%(title)s") % {"title": title})


def _list_view_for(user, path, query):
    """The list view of ``path`` set up for ``user`` as if they had opened it."""
    from ipcenter.generic import ObjectListView, PredicateRequiredMixin

    try:
        match = resolve(path)
    except Resolver404:
        raise PermissionDenied(_("列表页面已不存在。"))
    cls = getattr(match.func, "view_class", None)
    if cls is None or not issubclass(cls, ObjectListView):
        raise PermissionDenied(_("该页面不能导出。"))
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.htmx = False
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "localhost", "80"
    if not user.is_active:
        raise PermissionDenied(_("账号已停用。"))
    if issubclass(cls, PredicateRequiredMixin) and not cls.required(user):
        raise PermissionDenied(_("您已无权查看该列表。"))
    view = cls()
    view.setup(request, *match.args, **match.kwargs)
    return view


@job_kind(KIND, gettext_lazy("列表导出"), permission=None, listed=False)
def build(ctx):
    view = _list_view_for(ctx.user, ctx.params.get("path", ""), ctx.params.get("query", ""))
    ctx.progress(5, _("读取列表"))
    filename, title, headers, rows = view.export_rows()

    written = [0]

    def counted(rows):
        for row in rows:
            written[0] += 1
            if written[0] % 5000 == 0:
                ctx.progress(min(95, 5 + written[0] // 5000), _("已写入 %(n)s 行") % {"n": written[0]})
            yield row

    with ctx.output(filename, XLSX_TYPE) as fh:
        write_xlsx([(title, headers, counted(rows))], fh=fh)
    ctx.count(_("行数"), written[0])
