"""Requests and links: following a user-supplied ``next`` or the Referer safely (only paths on
this site, never ``https://evil.example/``, ``//evil.example/`` or ``/\\evil.example``), and the
site's own absolute address for links that leave the browser (QR codes, e-mails); the client's
address behind trusted proxies (``client_address``)."""
import contextvars

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_url(request, url):
    """Whether ``url`` points into this site (same host, and https when the request was)."""
    if not url or "\\" in url or any(ord(ch) < 32 for ch in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())


def safe_next(request, fallback, *, param="next", use_referer=False):
    """The redirect target a form asked for (POST, then GET ``param``; the Referer when
    ``use_referer``), or ``fallback`` when that is missing or leaves the site."""
    candidates = [request.POST.get(param), request.GET.get(param)]
    if use_referer:
        candidates.append(request.META.get("HTTP_REFERER"))
    for url in candidates:
        if url and is_safe_url(request, url):
            return url
    return fallback


# --- the client's address --------------------------------------------------------------------

def client_address(request):
    """The address of the client behind ``request``, for rate limits and logs.  With
    ``TRUSTED_PROXY_COUNT = 0`` (the default: no proxy in front) it is ``REMOTE_ADDR``, and
    ``X-Forwarded-For`` is ignored (any client can send one).  With N trusted proxies, each of
    which appends the address it received the request from, it is the N-th address from the
    right of ``X-Forwarded-For`` — the one the outermost trusted proxy saw; addresses further
    left were written by the client and are never believed.  A header with fewer entries, or
    an entry that is not an IP address, falls back to ``REMOTE_ADDR``."""
    import ipaddress

    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    if candidate.startswith("[") and "]" in candidate:  # [v6]:port
        candidate = candidate[1:candidate.index("]")]
    elif candidate.count(":") == 1:  # v4:port
        candidate = candidate.split(":")[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# --- absolute links -------------------------------------------------------------------------

DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"
_current_request = contextvars.ContextVar("ipcenter_current_request", default=None)


def site_url(request=None):
    """The site's origin for absolute links (QR codes, e-mails, calendar files): ``SITE_URL``
    when configured; otherwise the origin of the request being served (``request`` or the one
    ``CurrentRequestMiddleware`` remembers); outside a request (Celery tasks) the development
    address — production sets ``SITE_URL``."""
    configured = (settings.SITE_URL or "").rstrip("/")
    if configured:
        return configured
    request = request if request is not None else _current_request.get()
    if request is not None:
        try:
            return request.build_absolute_uri("/").rstrip("/")
        except DisallowedHost:
            pass
    return DEVELOPMENT_SITE_URL


def absolute_url(path, request=None):
    return site_url(request) + path


class CurrentRequestMiddleware:
    """Remembers the request being served so that links built deep inside a service (a QR
    code in a PDF, an e-mail sent after commit) use the address the user came to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
