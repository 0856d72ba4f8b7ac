"""PDF rendering with WeasyPrint from Django templates (CJK font set explicitly)."""
from django.conf import settings
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", "Noto Sans SC", sans-serif'


def render_pdf(template_name, context, request=None):
    """Render ``template_name`` (extending ``reports/pdf_base.html``) to PDF bytes."""
    from weasyprint import HTML

    ctx = {"PDF_FONT_FAMILY": PDF_FONT_FAMILY, "PORTAL_NAME": settings.PORTAL_NAME, **context}
    html = render_to_string(template_name, ctx, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
