"""Pre-check findings in the viewer's language: ``{{ finding|shown }}`` renders a stored finding's
message and location from its key and parameters (``prescreen.precheck.shown``)."""
from django import template

from prescreen import precheck

register = template.Library()


@register.filter
def shown(finding):
    return precheck.shown(finding) if isinstance(finding, dict) else finding
