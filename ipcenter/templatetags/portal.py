"""Template helpers for the portal's Bootstrap UI."""
from django import forms, template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

STATE_COLOURS = {
    # success
    "active": "success", "done": "success", "met": "success", "qualified": "success", "granted": "success",
    "accepted": "success", "registered": "success", "closed": "secondary", "agreement": "success", "sent": "success",
    # warning
    "pending": "warning", "submitted": "info", "queued": "secondary", "running": "info", "open": "info",
    "needs_correction": "warning", "suspended": "warning", "review": "info", "in_review": "info",
    "examining": "primary", "handling": "primary", "draft": "light",
    # danger
    "rejected": "danger", "overdue": "danger", "failed": "danger", "unqualified": "danger", "cancelled": "dark",
    "terminated": "dark", "declined": "danger", "refused": "danger",
}


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
    """``<input>`` widgets from the widget's own context, without a template render each."""
    from django.forms.utils import flatatt

    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    ctx = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = ctx["value"]
    return format_html('<input type="{}" name="{}"{}{}>', ctx["type"], ctx["name"],
                       format_html(' value="{}"', value) if value is not None else "", flatatt(ctx["attrs"]))


def _render_select(bound, widget, attrs):
    """A plain ``<select>`` built directly: the template-based widget renderer renders one
    template per ``<option>``, which dominated the time of the list pages' filter bars.  The
    markup is the same (attributes from ``BoundField.build_widget_attrs``, escaping by
    ``format_html``)."""
    from django.forms.utils import flatatt
    from django.utils.html import format_html_join
    from django.utils.safestring import mark_safe

    attrs = widget.build_attrs(widget.attrs, bound.build_widget_attrs(attrs, widget))
    if bound.auto_id and "id" not in attrs:
        attrs["id"] = bound.auto_id
    if widget.allow_multiple_selected:
        attrs["multiple"] = True
    value = widget.format_value(bound.value())
    parts = []
    for group_name, options, _index in widget.optgroups(bound.html_name, value):
        html = format_html_join("", '<option value="{}"{}>{}</option>', (
            ("" if o["value"] is None else o["value"], mark_safe(" selected") if o["selected"] else "", o["label"])
            for o in options))
        parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
    return format_html('<select name="{}"{}>{}</select>', bound.html_name, flatatt(attrs), mark_safe("".join(parts)))


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
    display = choice_label(obj, field) if hasattr(obj, "_meta") else None
    if display is None:
        display = getattr(obj, f"get_{field}_display", lambda: value)()
    colour = STATE_COLOURS.get(str(value), "secondary")
    text = "text-dark" if colour in ("light", "warning", "info") else ""
    return format_html('<span class="badge text-bg-{} {}">{}</span>', colour, text, display)


@register.filter
def badge_colour(value):
    return STATE_COLOURS.get(str(value), "secondary")


@register.filter
def local_dt(value, fmt="%Y-%m-%d %H:%M"):
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime(fmt)


@register.simple_tag(takes_context=True)
def url_with(context, **kwargs):
    """The current query string with some parameters replaced."""
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return "?" + params.urlencode()


@register.filter
def is_datetime(value):
    return hasattr(value, "strftime")
