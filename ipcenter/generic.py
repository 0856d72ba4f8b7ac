"""Generic views written once and reused by every app (NetBox-style).

A list page is a few lines::

    class CaseListView(ObjectListView):
        model = PreExamCase
        filterset_class = CaseFilterSet
        columns = [Column("number", _("编号"), link=True), Column("state", _("状态")), ...]

It is scoped with ``visible_to``, filtered by the app's FilterSet (the same one
the API uses), sortable by whitelisted columns, paginated, and exportable as
XLSX (``?export=xlsx``) with the current filters applied.
"""
from dataclasses import dataclass
from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, UpdateView

from ipcenter.querysets import require_scoped
from ipcenter.reports.xlsx import xlsx_response
from ipcenter.workflow.engine import TransitionNotAllowed, run_transition, save_with_audit
from ipcenter.workflow.models import TimelineEvent


_CHOICE_LABELS = {}


def choice_label(obj, name):
    """``obj.get_<name>_display()`` without rebuilding the field's lazy choice list on every
    call (that made a 100-row list spend most of its time translating labels); the label map is
    built once per field and language.  Returns ``None`` when ``name`` is not a choice field."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.translation import get_language

    try:
        field = obj._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return None
    if not getattr(field, "choices", None):
        return None
    key = (field, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {k: str(v) for k, v in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)


@dataclass
class Column:
    """One column of a list page (and of its XLSX export)."""

    accessor: str
    label: Any
    sort: str | None = None  # ORM ordering key; None = not sortable
    link: bool = False
    value: Callable | None = None  # custom value(obj)
    badge: bool = False
    export: bool = True

    def __post_init__(self):
        if self.sort is True:
            self.sort = self.accessor.replace(".", "__")

    def resolve(self, obj):
        if self.value is not None:
            return self.value(obj)
        current = obj
        for part in self.accessor.split("."):
            if current is None:
                return ""
            label = choice_label(current, part) if hasattr(current, "_meta") else None
            current = label if label is not None else getattr(current, part, "")
            if callable(current) and not hasattr(current, "all"):
                current = current()
        return "" if current is None else current


class PredicateRequiredMixin(LoginRequiredMixin):
    """Only users for whom ``required(user)`` holds (a django-rules predicate).  Others get a
    403 on a list or form page, and a 404 on a record page (``pk`` in the URL), so the answer
    never confirms that someone else's record exists."""

    required = None
    denied_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not type(self).required(request.user):
            if kwargs.get("pk") is not None:
                raise Http404
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(self.denied_message)
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(LoginRequiredMixin):
    """Every queryset starts from ``Model.objects.visible_to(user)``; a record the
    user may not see is a 404."""

    model = None

    def get_base_queryset(self):
        return self.model._default_manager.visible_to(self.request.user)

    def refine_queryset(self, queryset):
        """Hook for select_related/annotations; must keep the scoping."""
        return queryset

    def get_queryset(self):
        return require_scoped(self.refine_queryset(self.get_base_queryset()), type(self).__name__)


class ObjectListView(ScopedObjectMixin, ListView):
    template_name = "generic/object_list.html"
    filterset_class = None
    columns: list = []
    paginate_by = 25
    default_sort = None
    export_filename = None
    title = None
    create_url = None
    create_label = gettext_lazy("新建")

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return max(5, min(size, 200))

    def sort_key(self):
        requested = self.request.GET.get("sort", "")
        allowed = {c.sort for c in self.columns if c.sort}
        if requested.lstrip("-") in allowed:
            return requested
        return self.default_sort

    def get_queryset(self):
        qs = super().get_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else (
                qs if not self.filterset.is_bound else qs.none())
        key = self.sort_key()
        if key:
            qs = qs.order_by(key, "-pk" if key.startswith("-") else "pk")
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_xlsx(self):
        qs = self.get_queryset()
        cols = [c for c in self.columns if c.export]
        rows = ([c.resolve(obj) for c in cols] for obj in qs.iterator(chunk_size=2000))
        name = self.export_filename or str(self.get_title())
        return xlsx_response(f"{name}-{timezone.localdate():%Y%m%d}.xlsx", [c.label for c in cols], rows,
                             title=str(self.get_title()))

    def get_title(self):
        return self.title or self.model._meta.verbose_name_plural

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        sort = self.sort_key() or ""
        headers = []
        for c in self.columns:
            h = {"label": c.label, "sortable": bool(c.sort), "active": None, "url": None}
            if c.sort:
                p = params.copy()
                if sort == c.sort:
                    p["sort"] = "-" + c.sort
                    h["active"] = "asc"
                elif sort == "-" + c.sort:
                    p["sort"] = c.sort
                    h["active"] = "desc"
                else:
                    p["sort"] = c.sort
                h["url"] = "?" + p.urlencode()
            headers.append(h)
        rows = self.render_rows(ctx["object_list"])
        export = params.copy()
        export["export"] = "xlsx"
        ctx.update(
            title=self.get_title(), headers=headers, rows=rows, filter=self.filterset,
            query_string=params.urlencode(), export_url="?" + export.urlencode(),
            create_url=self.get_create_url(), create_label=self.create_label,
        )
        return ctx

    def get_create_url(self):
        return self.create_url

    def render_rows(self, objects):
        """Each row's cells as ready HTML (a 100-row page would otherwise run ~1,000 template
        ``if`` blocks); one ``get_absolute_url()`` per row."""
        from django.utils.html import format_html

        from ipcenter.templatetags.portal import local_dt, state_badge

        linked = any(c.link for c in self.columns)
        rows = []
        for obj in objects:
            url = obj.get_absolute_url() if linked else ""
            cells = []
            for c in self.columns:
                value = c.resolve(obj)
                if c.badge:
                    cells.append(state_badge(obj, c.accessor))
                elif c.link:
                    cells.append(format_html('<a href="{}">{}</a>', url, value))
                elif hasattr(value, "strftime"):
                    cells.append(local_dt(value))
                else:
                    cells.append(value)
            rows.append({"object": obj, "url": url, "cells": cells})
        return rows


class ObjectDetailView(ScopedObjectMixin, DetailView):
    """Detail page with the record's timeline, deadlines and allowed transitions."""

    transition_url_name = None  # e.g. "accounts:organization-transition"

    def get_context_data(self, **kwargs):
        from ipcenter.deadlines.services import pending_deadlines

        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["timeline"] = TimelineEvent.objects.for_object(obj)
        ctx["deadlines"] = pending_deadlines(obj)
        workflow = getattr(type(obj), "workflow", None)
        ctx["transitions"] = workflow.available(obj, self.request.user) if workflow else []
        ctx["transition_url_name"] = self.transition_url_name
        if hasattr(obj, "attachments"):
            ctx["attachments"] = obj.attachments.all().select_related("uploaded_by")
        return ctx


class ObjectEditView(ScopedObjectMixin, UpdateView):
    """Edit form whose saved changes are logged field by field on the timeline."""

    template_name = "generic/object_form.html"
    audit_fields = None

    def form_valid(self, form):
        fields = self.audit_fields or list(form.changed_data)
        changes = save_with_audit(form.instance, self.request.user, fields)
        # ModelForm only exposes save_m2m after save(commit=False); the instance was saved above.
        save_m2m = getattr(form, "save_m2m", None) or getattr(form, "_save_m2m", None)
        if save_m2m:
            save_m2m()
        if changes:
            messages.success(self.request, _("已保存修改。"))
        else:
            messages.info(self.request, _("没有需要保存的修改。"))
        return HttpResponseRedirect(self.get_success_url())


class TransitionView(ScopedObjectMixin, View):
    """POST ``comment`` to run a named workflow transition on a visible record."""

    def perform(self, obj, name, comment):
        return run_transition(obj, name, self.request.user, comment)

    def post(self, request, pk, name):
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            type(obj).workflow.get(name)
        except KeyError:
            raise Http404
        try:
            self.perform(obj, name, request.POST.get("comment", "").strip())
        except TransitionNotAllowed as exc:
            messages.error(request, " ".join(exc.messages))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("操作“%(label)s”已完成。") % {"label": type(obj).workflow.get(name).label})
        return HttpResponseRedirect(request.POST.get("next") or obj.get_absolute_url())
