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
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, UpdateView

from ipcenter.accounts.models import person_label  # noqa: F401 (list cells of user columns)
from ipcenter.http import safe_next
from ipcenter.pagination import CountLaterPaginator
from ipcenter.querysets import require_scoped
from ipcenter.reports.xlsx import xlsx_response
from ipcenter.workflow.engine import TransitionNotAllowed, run_transition, save_with_audit, timeline_of


_CHOICE_LABELS = {}


def choice_label(obj, name):
    """``obj.get_<name>_display()`` without rebuilding the field's lazy choice list on every
    call (that made a 100-row list spend most of its time translating labels); the label map is
    built once per field and language.  Returns ``None`` when ``name`` is not a choice field."""
    if getattr(obj, "_meta", None) is None:
        return None
    field = _choice_field(type(obj), name)
    if field is None:
        return None
    value = getattr(obj, field.attname)
    return _labels(field).get(value, value)


def _labels(field):
    """``{value: label}`` of a choice field in the active language (built once per language)."""
    from django.utils.translation import get_language

    key = (field, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {k: str(v) for k, v in field.flatchoices}
    return labels


_CHOICE_FIELDS = {}


def _choice_field(model, name):
    """The choice field ``name`` of ``model`` or ``None`` (memoised: asked once per cell)."""
    key = (model, name)
    try:
        return _CHOICE_FIELDS[key]
    except KeyError:
        from django.core.exceptions import FieldDoesNotExist

        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        _CHOICE_FIELDS[key] = field = field if getattr(field, "choices", None) else None
        return field


class ValuesRow(dict):
    """A ``values()`` row whose keys read as attributes (for ``Column.value`` callables)."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def cell_text(value, tz, date_only=False):
    """A table cell's escaped text: moments in ``tz`` ("%Y-%m-%d %H:%M", or the date alone),
    dates as dates, safe HTML as it is, anything else escaped."""
    import datetime
    import html

    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def field_labels(model, parts):
    """The label map of the choice field at ``parts`` (a path through relations), or ``None``."""
    field = None
    for part in parts:
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None and part != parts[-1]:
            model = field.related_model
    if field is None or not getattr(field, "choices", None):
        return None
    return _labels(field)


@dataclass
class Column:
    """One column of a list page (and of its XLSX export).

    ``date_only`` shows a moment as its local date; plain ``DateField`` values always show as
    dates (never with a made-up "00:00").  ``person`` marks a user column (shown as
    ``User.__str__`` does).  ``needs`` lists the fields a ``value`` callable reads, for lists
    whose rows are read as values (``ObjectListView.values_rows``)."""

    accessor: str
    label: Any
    sort: str | None = None  # ORM ordering key; None = not sortable
    link: bool = False
    value: Callable | None = None  # custom value(obj)
    badge: bool = False
    export: bool = True
    date_only: bool = False
    person: bool = False
    needs: tuple = ()

    def __post_init__(self):
        if self.sort is True:
            self.sort = self.accessor.replace(".", "__")
        self.parts = tuple(self.accessor.split("."))
        self.path = "__".join(self.parts)

    def resolve(self, obj):
        if self.value is not None:
            return self.value(obj)
        current = obj
        for part in self.parts:
            if current is None:
                return ""
            label = choice_label(current, part)
            current = label if label is not None else getattr(current, part, "")
            if callable(current) and not hasattr(current, "all"):
                current = current()
        return "" if current is None else current

    def display(self, value):
        """The cell text of a resolved value: moments in local time, dates as dates."""
        if hasattr(value, "strftime"):
            from django.utils.timezone import get_current_timezone

            return cell_text(value, get_current_timezone(), self.date_only)
        return value


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
    """See the module docstring.  The total of the filtered list is not counted while the
    page renders: ``?_count=1`` answers it as a fragment the page loads afterwards
    (``ipcenter.pagination``)."""

    template_name = "generic/object_list.html"
    count_template_name = "generic/_list_count.html"
    paginator_class = CountLaterPaginator
    filterset_class = None
    detail_url_name = None  # the record page's URL name, when it takes just the pk: one reverse() per page
    # read the page's rows with values() (no model instances: a quarter of the per-row cost); the
    # columns then name what they read (Column.needs / person) and the rows link by detail_url_name
    values_rows = False
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
        if request.GET.get("_count"):
            return self.render_count()
        return super().get(request, *args, **kwargs)

    def render_count(self):
        """The fragment with the total and the page position (loaded by the list page)."""
        from django.shortcuts import render

        qs = self.get_queryset()
        paginator = Paginator(qs, self.get_paginate_by(qs))
        try:
            number = max(1, int(self.request.GET.get("page") or 1))
        except ValueError:
            number = 1
        return render(self.request, self.count_template_name,
                      {"count": paginator.count, "num_pages": paginator.num_pages, "number": number})

    def export_xlsx(self):
        """The filtered list as XLSX; above ``LIST_EXPORT_SYNC_LIMIT`` rows (default 5,000) a
        background job instead (same path and query, scoped again for the user in the worker)."""
        from django.conf import settings
        from django.shortcuts import redirect

        limit = getattr(settings, "LIST_EXPORT_SYNC_LIMIT", 5000)
        if self.get_queryset()[:limit + 1].count() > limit:
            from ipcenter.reports.list_export import request_list_export

            return redirect(request_list_export(self.request, str(self.get_title())).get_absolute_url())
        filename, title, headers, rows = self.export_rows()
        return xlsx_response(filename, headers, rows, title=title)

    def export_rows(self):
        """(file name, sheet title, headers, rows) of the export; rows are read in chunks."""
        qs = self.get_queryset()
        cols = [c for c in self.columns if c.export]
        rows = ([c.resolve(obj) for c in cols] for obj in qs.iterator(chunk_size=2000))
        name = self.export_filename or str(self.get_title())
        return f"{name}-{timezone.localdate():%Y%m%d}.xlsx", str(self.get_title()), [c.label for c in cols], rows

    def get_title(self):
        return self.title or self.model._meta.verbose_name_plural

    def get_context_data(self, **kwargs):
        if self.values_rows:
            kwargs.setdefault("object_list", self.object_list.values(*self.value_paths()))
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        page = params.pop("page", None)
        count = params.copy()
        count["_count"] = "1"
        if page:
            count["page"] = page[-1]
        headers = self.headers(params, self.sort_key() or "")
        rows, table_body = self.render_rows(ctx["object_list"])
        export = params.copy()
        export["export"] = "xlsx"
        ctx.update(
            title=self.get_title(), headers=headers, header_html=self.header_html(headers), rows=rows,
            table_body=table_body, filter=self.filterset,
            query_string=params.urlencode(), export_url="?" + export.urlencode(), count_url="?" + count.urlencode(),
            create_url=self.get_create_url(), create_label=self.create_label,
        )
        return ctx

    def get_create_url(self):
        return self.create_url

    def headers(self, params, sort):
        """Column headers; a sortable one links to the list sorted by it (again: reversed)."""
        from urllib.parse import urlencode

        base = [(k, v) for k, v in params.lists() if k != "sort" for v in v]
        headers = []
        for c in self.columns:
            h = {"label": c.label, "sortable": bool(c.sort), "active": None, "url": None}
            if c.sort:
                if sort == c.sort:
                    key, h["active"] = "-" + c.sort, "asc"
                elif sort == "-" + c.sort:
                    key, h["active"] = c.sort, "desc"
                else:
                    key = c.sort
                h["url"] = "?" + urlencode(base + [("sort", key)])
            headers.append(h)
        return headers

    @staticmethod
    def header_html(headers):
        from django.utils.html import escape
        from django.utils.safestring import mark_safe

        html = []
        for h in headers:
            label = escape(h["label"])
            if h["sortable"]:
                arrow = {"asc": " ▲", "desc": " ▼"}.get(h["active"], "")
                label = f'<a href="{escape(h["url"])}">{label}{arrow}</a>'
            aria = {"asc": ' aria-sort="ascending"', "desc": ' aria-sort="descending"'}.get(h["active"], "")
            html.append(f'<th scope="col"{aria}>{label}</th>')
        return mark_safe("".join(html))

    def render_rows(self, objects):
        """Each row's cells as ready, escaped HTML, and the whole ``<tbody>`` content in one
        string: a 100-row page would otherwise run ~1,000 template nodes and ``format_html``
        calls.  ``objects`` are model instances, or dicts when the view reads ``values_rows``."""
        from html import escape

        from django.utils.safestring import SafeString

        columns = self.columns
        linked = any(c.link for c in columns)
        url_of = self.row_url_function() if linked else None
        makers = self.value_cell_makers() if self.values_rows else self.model_cell_makers()
        rows, html = [], []
        for obj in objects:
            url = url_of(obj) if linked else ""
            cells = []
            for c, make in zip(columns, makers):
                cell = make(obj)
                if c.link:
                    cell = f'<a href="{escape(url)}">{cell}</a>'
                cells.append(SafeString(cell))  # (mark_safe's lazy-string wrapper costs more than the cell)
            rows.append({"object": obj, "url": url, "cells": cells})
            html.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
        return rows, SafeString("".join(html))

    def model_cell_makers(self):
        """``obj -> cell HTML`` per column, for rows that are model instances."""
        from django.utils.timezone import get_current_timezone

        from ipcenter.templatetags.portal import state_badge

        tz = get_current_timezone()

        def maker(c):
            if c.badge:
                return lambda obj: state_badge(obj, c.accessor)
            return lambda obj: cell_text(c.resolve(obj), tz, c.date_only)

        return [maker(c) for c in self.columns]

    def value_paths(self):
        """The ORM paths ``values()`` reads for the columns (``values_rows`` lists)."""
        from django.contrib.auth import get_user_model
        from django.core.exceptions import ImproperlyConfigured

        label_fields = getattr(get_user_model(), "LABEL_FIELDS", ("username",))
        paths = ["pk"]
        for c in self.columns:
            if c.value is not None:
                if not c.needs:
                    raise ImproperlyConfigured(f"{type(self).__name__}: column {c.accessor!r} has a value() "
                                               "but no needs=(...) for values rows")
                paths += c.needs
            elif c.person:
                paths += [f"{c.path}__{f}" for f in label_fields]
            else:
                paths.append(c.path)
        return list(dict.fromkeys(paths))

    def value_cell_makers(self):
        """``row dict -> cell HTML`` per column: choice labels from the model's fields, users as
        ``User.__str__`` shows them, dates and moments as ``Column.display`` does (the local time
        zone is looked up once per page, and text is escaped without Django's lazy-string
        wrappers: this is the per-row cost of a 100-row page)."""
        from django.contrib.auth import get_user_model
        from django.utils.timezone import get_current_timezone

        from ipcenter.templatetags.portal import badge_html

        label_fields = getattr(get_user_model(), "LABEL_FIELDS", ("username",))
        tz = get_current_timezone()

        def maker(c):
            if c.value is not None:
                return lambda row: cell_text(c.value(ValuesRow(row)), tz, c.date_only)
            if c.person:
                keys = [f"{c.path}__{f}" for f in label_fields]
                return lambda row: cell_text(person_label(*(row[k] for k in keys)), tz)
            labels = field_labels(self.model, c.parts)
            path = c.path
            if c.badge:
                return lambda row: badge_html(row[path], labels.get(row[path], row[path]) if labels else row[path])
            if labels:
                return lambda row: cell_text(labels.get(row[path], row[path]), tz)
            return lambda row: cell_text(row[path], tz, c.date_only)

        return [maker(c) for c in self.columns]

    def row_url_function(self):
        """``obj -> URL`` of a row: ``get_absolute_url()``, or the reversed ``detail_url_name``
        with the pk put in (the URL resolver is the costliest part of a row otherwise)."""
        if not self.detail_url_name:
            if self.values_rows:
                from django.core.exceptions import ImproperlyConfigured

                raise ImproperlyConfigured(f"{type(self).__name__}: values rows link with detail_url_name")
            return lambda obj: obj.get_absolute_url()
        from django.urls import reverse

        marker = 987654321987
        prefix, suffix = reverse(self.detail_url_name, args=[marker]).split(str(marker))
        if self.values_rows:
            return lambda row: f"{prefix}{row['pk']}{suffix}"
        return lambda obj: f"{prefix}{obj.pk}{suffix}"


@dataclass(frozen=True)
class ActionForm:
    """A form on a record's page for one action (``ObjectDetailView.action_forms``).

    It is shown when the workflow transition ``transition`` (manual or not) is available to the
    viewer on the record — the page decides nothing the workflow already declares — or, for an
    action that is no transition (adding evidence, a party), when ``allowed(user, obj)`` holds
    (a rule of the app, written once beside its services).  ``kwargs(view, obj)`` gives the
    form's extra arguments (``initial``, ``prefix``, ``user``...).  A form handed to the page
    bound (``get_context_data(forms={name: form})``) is shown with its errors whatever the rule
    says."""

    name: str
    form_class: Any
    transition: str | None = None
    allowed: Callable | None = None
    kwargs: Callable | None = None

    def build(self, view, obj):
        return self.form_class(**(self.kwargs(view, obj) if self.kwargs else {}))


class ObjectDetailView(ScopedObjectMixin, DetailView):
    """Detail page with the record's timeline, deadlines and allowed transitions.

    ``transitions`` are the manual transitions of the record's workflow the viewer may run (the
    buttons); ``action_forms`` declares the page's forms (``ActionForm``), shown as the
    workflow or the app's rule allows.  ``get_context_data(forms={"transfer_form": bound})``
    puts bound forms (a failed action's, with their field errors) in place of the empty ones
    — ``ObjectActionView`` re-renders the page this way."""

    transition_url_name = None  # e.g. "accounts:organization-transition"
    action_forms = ()

    def get_context_data(self, forms=None, **kwargs):
        from ipcenter.deadlines.services import pending_deadlines

        ctx = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        ctx["timeline"] = timeline_of(obj, user)
        ctx["deadlines"] = pending_deadlines(obj)
        workflow = getattr(type(obj), "workflow", None)
        ctx["transitions"] = workflow.available(obj, user) if workflow else []
        ctx["transition_url_name"] = self.transition_url_name
        if hasattr(obj, "attachments"):
            ctx["attachments"] = obj.attachments.all().select_related("uploaded_by")
        ctx.update(self.action_form_context(obj, forms or {}))
        return ctx

    def available_actions(self, obj):
        """Names of the workflow transitions (manual or not) the viewer may run on ``obj``."""
        workflow = getattr(type(obj), "workflow", None)
        return {t.name for t in workflow.available(obj, self.request.user, manual_only=False)} if workflow else set()

    def action_form_context(self, obj, bound):
        """``{name: form}`` of the declared action forms the viewer may use now, with the bound
        ones (``bound``) in place of empty forms."""
        ctx = {}
        if self.action_forms:
            available = self.available_actions(obj)
            user = self.request.user
            for action in self.action_forms:
                if action.name in bound:
                    continue
                shown = ((action.transition is None or action.transition in available)
                         and (action.allowed is None or action.allowed(user, obj)))
                if shown:
                    ctx[action.name] = action.build(self, obj)
        ctx.update(bound)
        return ctx


class ServiceFormMixin:
    """What the create and action views share: a form whose cleaned data goes to a service; a
    service's ``ValidationError`` (dict or list) lands on the form's fields (``apply_errors``),
    a refusal (``PermissionDenied``) above the form; success is a message and a redirect.

    Uploaded files are part of the cleaned data: the service stores them (``store_upload``)
    inside its own transaction, so a refused record leaves no file behind."""

    form_class = None
    success_message = gettext_lazy("已保存。")
    #: names of cleaned fields the service does not take
    exclude_fields = ()
    #: a refusal that names no field (a rule about the record, not about the form) is a message on
    #: the record's page after a redirect instead of an error above the form
    refusals_as_messages = False
    refused = False

    def get_form_kwargs(self):
        return {}

    def make_form(self, *args):
        return self.form_class(*args, **self.get_form_kwargs())

    def bound_form(self):
        return self.make_form(self.request.POST, self.request.FILES)

    def service_data(self, form):
        return {k: v for k, v in form.cleaned_data.items() if k not in self.exclude_fields}

    def run_service(self, form, call):
        """``call()`` and the result; errors go onto ``form`` and the result is ``None``."""
        from django.core.exceptions import PermissionDenied

        from ipcenter.forms import apply_errors

        try:
            return call()
        except ValidationError as exc:
            if self.refusals_as_messages and not hasattr(exc, "error_dict"):
                self.refuse(" ".join(exc.messages))
            else:
                apply_errors(form, exc)
        except PermissionDenied as exc:
            message = str(exc) or _("无权执行此操作。")
            if self.refusals_as_messages:
                self.refuse(message)
            else:
                form.add_error(None, message)
        return None

    def refuse(self, message):
        messages.error(self.request, message)
        self.refused = True

    def get_success_message(self, result):
        return str(self.success_message) if self.success_message else ""

    def succeed(self, result, url):
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(url)


class ObjectCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    """Create one record through a service.

    ``form_class``; ``service`` — a function ``(user, **cleaned_data)`` returning the new
    record — or a method ``create(form)``; ``template_name``, ``title``, ``success_message``
    (``%(number)s``/``%(object)s`` may name the new record).  GET renders the empty form
    (``get_initial()``); a POST with errors (the form's or the service's, under their fields)
    re-renders it with status 400 and creates nothing; success redirects to the new record
    (``get_success_url(obj)``).  The form carries the double-submit token
    (``generic/_form.html``): a replayed POST is sent to the record the first one created."""

    service = None
    template_name = "generic/object_form.html"
    title = None
    #: a form that sits on another page (a dashboard's "draw a sample"): errors re-render that
    #: page's view with the bound form under ``form_name``
    page_view = None
    form_name = "form"

    def get_initial(self):
        return {}

    def get_context_data(self, **kwargs):
        return {"view": self, "title": self.title, **kwargs}

    def render_form(self, form, status=200):
        from django.shortcuts import render

        if self.page_view is not None:
            view = self.page_view()
            view.setup(self.request, *self.args, **self.kwargs)
            return view.render_to_response(view.get_context_data(**{self.form_name: form}), status=status)
        return render(self.request, self.template_name, self.get_context_data(form=form), status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.make_form_initial())

    def make_form_initial(self):
        return self.form_class(initial=self.get_initial(), **self.get_form_kwargs())

    def create(self, form):
        return type(self).service(self.request.user, **self.service_data(form))  # (a plain function: unbound)

    def post(self, request, *args, **kwargs):
        form = self.bound_form()
        if form.is_valid():
            obj = self.run_service(form, lambda: self.create(form))
            if not form.errors:
                return self.succeed(obj, self.get_success_url(obj))
        return self.render_form(form, status=400)

    def get_success_message(self, obj):
        if not self.success_message:
            return ""
        return str(self.success_message) % {"number": getattr(obj, "number", ""), "object": obj}

    def get_success_url(self, obj):
        return obj.get_absolute_url()


@dataclass(frozen=True)
class Step:
    """One of several named actions served by one ``ObjectActionView`` (``actions``, the name
    taken from the URL): ``service(obj, user, **cleaned_data)``, its ``form_class`` (``None``
    for a button without a form: a refusal is then a message on the record's page) and the
    context key the detail page shows the form under."""

    service: Callable
    form_class: Any = None
    form_name: str | None = None
    success_message: Any = None


class ObjectActionView(ScopedObjectMixin, ServiceFormMixin, View):
    """POST a form about one record the user may act on (``visible_to(user, scope_action)``;
    any other record is a 404).

    ``model``, ``form_class``, ``service`` — a function ``(obj, user, **cleaned_data)`` — or a
    method ``perform(obj, form)``; ``detail_view`` (the record's ``ObjectDetailView``) and
    ``form_name`` (the context key its template shows the form under).  On errors the detail
    page is rendered again with the bound form and its field errors (status 400) — the same
    page, the same template, nothing copied by hand; on success a message and a redirect to
    ``get_success_url(obj, result)`` (the record).

    One view may serve several actions of a record: ``actions = {"refuse": Step(...), ...}``
    and the URL's ``action_kwarg`` names the one to run (any other name is a 404)."""

    service = None
    detail_view = None
    form_name = "form"
    scope_action = "view"
    actions = None
    action_kwarg = "action"
    step = None

    def get_base_queryset(self):
        return self.model._default_manager.visible_to(self.request.user, self.scope_action)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def perform(self, obj, form):
        if self.step is not None:
            return self.step.service(obj, self.request.user, **self.service_data(form))
        return type(self).service(obj, self.request.user, **self.service_data(form))

    def action_name(self):
        """The name of the action asked for (the URL's ``action_kwarg``)."""
        return self.kwargs.get(self.action_kwarg)

    def choose_step(self):
        """The named action asked for (``actions``), or 404."""
        step = self.actions.get(self.action_name())
        if step is None:
            raise Http404
        self.step = step
        if step.form_class is not None:
            self.form_class, self.form_name = step.form_class, step.form_name or self.form_name
        if step.success_message is not None:
            self.success_message = step.success_message

    def run_button(self, obj):
        """A step without a form: run it; a refusal is a message on the record's page."""
        from django.core.exceptions import PermissionDenied

        try:
            result = self.step.service(obj, self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(self.request, str(exc) or _("无权执行此操作。"))
        else:
            return self.succeed(result, self.get_success_url(obj, result))
        return HttpResponseRedirect(obj.get_absolute_url())

    def post(self, request, *args, **kwargs):
        if self.actions is not None:
            self.choose_step()
        obj = self.object = self.get_object()
        if self.step is not None and self.step.form_class is None:
            return self.run_button(obj)
        form = self.bound_form()
        if form.is_valid():
            result = self.run_service(form, lambda: self.perform(obj, form))
            if self.refused:
                return HttpResponseRedirect(obj.get_absolute_url())
            if not form.errors:
                return self.succeed(result, self.get_success_url(obj, result))
        return self.render_detail(form)

    def get_success_url(self, obj, result):
        return safe_next(self.request, obj.get_absolute_url())

    def detail_object_pk(self):
        return self.kwargs["pk"]

    def render_detail(self, form, status=400):
        """The record's detail page with ``form`` bound in place (re-read: a refused service
        left nothing changed)."""
        view = self.detail_view()
        view.setup(self.request, *self.args, **{**self.kwargs, "pk": self.detail_object_pk()})
        view.object = view.get_object()
        ctx = view.get_context_data(object=view.object, forms={self.form_name: form})
        return view.render_to_response(ctx, status=status)



class RecordPageActionView(ObjectActionView):
    """The record's own page takes its actions' POSTs: GET is the ``detail_view``, and the
    action to run is the POSTed ``action`` field (the opinion editor, the quality check page)."""

    def get(self, request, *args, **kwargs):
        return self.detail_view.as_view()(request, *args, **kwargs)

    def action_name(self):
        return self.request.POST.get("action")

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
        return HttpResponseRedirect(safe_next(request, obj.get_absolute_url()))
