"""``{% submit_once_field %}``: the hidden one-time token of a POST form (``ipcenter.submit_once``)."""
from django import template
from django.utils.html import format_html

from ipcenter.submit_once import FIELD_NAME, new_token

register = template.Library()


@register.simple_tag
def submit_once_field():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, new_token())
