"""Template helpers for the portal's Bootstrap UI."""
from django import forms, template
from django.utils import timezone

register = template.Library()

# Colours of the core's own states (deadlines, jobs, organisations, notifications); apps add
# theirs with ``PortalAppConfig.state_colours`` (merged on first use).
CORE_STATE_COLOURS = {
    "active": "success", "done": "success", "met": "success", "closed": "secondary", "sent": "success",
    "pending": "warning", "queued": "secondary", "running": "info", "open": "info", "in_review": "info",
    "rejected": "danger", "overdue": "danger", "failed": "danger", "cancelled": "dark",
}


def _colours():
    global STATE_COLOURS
    if STATE_COLOURS is None:
        from ipcenter.plugins import registry

        STATE_COLOURS = {**CORE_STATE_COLOURS, **registry().state_colours}
    return STATE_COLOURS


STATE_COLOURS = None


@register.filter
def add_class(field, css):
    widget = field.field.widget
    existing = widget.attrs.get("class", "")
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{existing} {css}".strip()}
    if type(widget) in (forms.Select, forms.SelectMultiple):
        return _render_select(field, widget, attrs)
    if isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.FileInput):
        return _render_input(field, widget, attrs)
    return field.as_widget(attrs=attrs)


def _render_input(bound, widget, attrs):
    """``<input>`` widgets built directly (the same markup as the widget's template)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    attrs = widget.build_attrs(widget.attrs, bound.build_widget_attrs(attrs, widget))
    if bound.auto_id and "id" not in attrs:
        attrs["id"] = bound.auto_id
    value = widget.format_value(bound.value())
    html = [f'<input type="{escape(widget.input_type)}" name="{escape(bound.html_name)}"']
    if value is not None:
        html.append(f' value="{escape(value)}"')
    for key, val in attrs.items():
        if val is True:
            html.append(f" {escape(key)}")
        elif val is not False and val is not None:
            html.append(f' {escape(key)}="{escape(val)}"')
    html.append(">")
    return mark_safe("".join(html))


def _choices(field):
    """The (value, label) choices of a form field.  Model choices are read with one ordinary
    query: Django's ModelChoiceIterator uses ``QuerySet.iterator()``, which on PostgreSQL
    opens a server-side cursor (three round trips) for every select of a filter bar."""
    if not isinstance(field, forms.ModelChoiceField):
        return field.choices
    head = []
    if field.empty_label is not None:
        head.append(("", field.empty_label))
    if getattr(field, "null_label", None) is not None:
        head.append((field.null_value, field.null_label))
    key = getattr(field, "picklist_key", None)
    if key:
        from ipcenter import picklists

        return head + picklists.model_choices(key, field.queryset, field.label_from_instance)
    iterator = field.iterator(field)
    return head + [iterator.choice(obj) for obj in field.queryset]


def _options(choices, selected):
    from django.utils.html import escape

    html = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            html.append(f'<optgroup label="{escape(value)}">{_options(label, selected)}</optgroup>')
            continue
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        html.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return "".join(html)


def _render_select(bound, widget, attrs):
    """A plain ``<select>`` built directly: the template-based widget renderer renders one
    template per ``<option>``, which dominated the time of the list pages' filter bars.  The
    markup is the same (attributes from ``BoundField.build_widget_attrs``, every value and
    label escaped)."""
    from django.forms.utils import flatatt
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    attrs = widget.build_attrs(widget.attrs, bound.build_widget_attrs(attrs, widget))
    if bound.auto_id and "id" not in attrs:
        attrs["id"] = bound.auto_id
    if widget.allow_multiple_selected:
        attrs["multiple"] = True
    selected = {str(v) for v in widget.format_value(bound.value())}
    options = _options(_choices(bound.field), selected)
    return mark_safe(f'<select name="{escape(bound.html_name)}"{flatatt(attrs)}>{options}</select>')


@register.simple_tag
def filter_fields(form):
    """Every field of a list page's filter bar as one block of HTML (label, widget, errors per
    column); hidden fields keep a value that came in the query string (e.g. an organisation
    picked from its page), so submitting the bar does not drop it."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    html = []
    for field in form:
        if field.is_hidden:
            if field.value() not in (None, ""):
                html.append(str(field))
            continue
        kind = widget_kind(field)
        if kind == "select":
            widget = add_class(field, "form-select form-select-sm")
        elif kind == "checkbox":
            widget = f'<div>{add_class(field, "form-check-input")}</div>'
        else:
            widget = add_class(field, "form-control form-control-sm")
        errors = "".join(f'<div class="invalid-feedback d-block">{escape(e)}</div>' for e in field.errors)
        html.append(f'<div class="col-sm-6 col-md-3 col-lg-2"><label class="form-label" for="{escape(field.id_for_label)}">'
                    f'{escape(field.label)}</label>{widget}{errors}</div>')
    return mark_safe("".join(html))


@register.filter
def widget_kind(field):
    w = field.field.widget
    if isinstance(w, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return "choices"
    if isinstance(w, forms.CheckboxInput):
        return "checkbox"
    if isinstance(w, (forms.Select, forms.SelectMultiple)):
        return "select"
    if isinstance(w, forms.ClearableFileInput) or isinstance(w, forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def state_badge(obj, field="state"):
    """A coloured badge with the display value of a choice field."""
    from ipcenter.generic import choice_label

    value = getattr(obj, field, "")
    display = choice_label(obj, field)
    if display is None:
        display = getattr(obj, f"get_{field}_display", lambda: value)()
    return badge_html(value, display)


def badge_html(value, display):
    """The badge of a state ``value`` showing ``display`` (escaped as Django's ``escape`` does)."""
    import html

    from django.utils.safestring import SafeString

    colour = _colours().get(str(value), "secondary")
    text = " text-dark" if colour in ("light", "warning", "info") else ""
    return SafeString(f'<span class="badge text-bg-{colour}{text}">{html.escape(str(display))}</span>')


@register.filter
def badge_colour(value):
    return _colours().get(str(value), "secondary")


MOMENT_FORMAT = "%Y-%m-%d %H:%M"


@register.filter
def local_dt(value, fmt=MOMENT_FORMAT):
    """A moment in the centre's local time; a plain date stays a date (no made-up "00:00")."""
    import datetime

    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        if not isinstance(value, datetime.date):
            return str(value)
        return value.strftime("%Y-%m-%d" if fmt == MOMENT_FORMAT else fmt)
    if value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime(fmt)


@register.simple_tag(takes_context=True)
def url_with(context, **kwargs):
    """The current query string with some parameters replaced."""
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return "?" + params.urlencode()
