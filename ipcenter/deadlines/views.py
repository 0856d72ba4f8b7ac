"""Deadline pages: the user's due-soon/overdue list and the calendar CSV upload."""
import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.generic import Column, ObjectListView

from .filters import DeadlineFilterSet
from .forms import CalendarUploadForm
from .models import CalendarOverride, Deadline


class DeadlineListView(ObjectListView):
    model = Deadline
    filterset_class = DeadlineFilterSet
    default_sort = "due_at"
    title = gettext_lazy("我的期限")
    columns = [
        Column("label", gettext_lazy("事项"), link=True, value=lambda d: d.display_label),
        Column("target", gettext_lazy("办理对象"), value=lambda d: str(d.target) if d.target is not None else "—"),
        Column("due_at", gettext_lazy("到期时间"), sort="due_at"),
        Column("rule", gettext_lazy("规则")),
        Column("amount", gettext_lazy("期限")),
        Column("state", gettext_lazy("状态"), sort="state", badge=True),
    ]

    def refine_queryset(self, queryset):
        # the record each clock belongs to (one query per kind of record, not per row)
        return queryset.select_related("assignee").prefetch_related("target")


def parse_calendar_csv(text):
    """Rows ``date,type[,note]`` where type is 休/holiday/0 or 班/workday/1.
    Returns (rows, errors) with line numbers in the errors."""
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    for lineno, row in enumerate(reader, start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        if lineno == 1 and row[0].strip().lower() in ("date", "日期"):
            continue
        try:
            day = datetime.date.fromisoformat(row[0].strip())
        except ValueError:
            errors.append(_("第 %(n)s 行：日期“%(v)s”格式应为 YYYY-MM-DD。") % {"n": lineno, "v": row[0][:20]})
            continue
        kind = (row[1].strip().lower() if len(row) > 1 else "")
        if kind in ("休", "holiday", "0", "off"):
            working = False
        elif kind in ("班", "workday", "1", "work"):
            working = True
        else:
            errors.append(_("第 %(n)s 行：类型应为“休”或“班”。") % {"n": lineno})
            continue
        rows.append((day, working, row[2].strip()[:100] if len(row) > 2 else ""))
    return rows, errors


@login_required
def calendar_upload(request):
    if not request.user.is_centre_wide:
        return redirect("home")
    form = CalendarUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows, errors = parse_calendar_csv(form.cleaned_data["text"])
        if errors:
            for e in errors:
                form.add_error("file", e)
        else:
            with transaction.atomic():
                for day, working, note in rows:
                    CalendarOverride.objects.update_or_create(date=day, defaults={"is_working_day": working, "note": note})
            messages.success(request, _("已导入 %(n)s 条节假日调整。") % {"n": len(rows)})
            return redirect("deadlines:calendar")
    overrides = CalendarOverride.objects.order_by("-date")[:100]
    return render(request, "deadlines/calendar.html", {"form": form, "overrides": overrides})
