"""Language selection: Chinese unless the user chose English with the switch.

The browser's Accept-Language is deliberately ignored: the portal is a Chinese
government service and must not turn English because a workstation's browser
happens to be installed in English."""
from django.conf import settings
from django.utils import translation


class PortalLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


class RequestIdMiddleware:
    """Give each request an id (the proxy's ``X-Request-ID`` if it is sane) that every timeline
    event written while serving it carries, and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from ipcenter.workflow.context import new_request_id, request_id_var

        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming and len(incoming) <= 40 and incoming.replace("-", "").isalnum() else new_request_id()
        token = request_id_var.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers.setdefault("X-Request-ID", rid)
        return response
