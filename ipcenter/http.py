"""Following a user-supplied ``next`` or the Referer safely: only paths on this site (never
``https://evil.example/``, ``//evil.example/`` or ``/\\evil.example``) are followed."""
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
