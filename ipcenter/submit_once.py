"""Double-submit protection for every HTML form: a one-time token, consumed atomically.

``generic/_form.html`` renders a hidden ``_once`` field with a fresh random token (template
tag ``{% submit_once_field %}`` for forms that do not use it).  ``SubmitOnceMiddleware``
claims the token (with a digest of what was sent) with ``cache.add`` before the view runs, so
of two identical POSTs carrying the same token exactly one reaches the view.  When that one answers with a redirect (the record it
created, the page it changed), the redirect is remembered under the token and a replayed POST
is sent to the same place instead of creating a second row; when it answers with the form
again (field errors), the token is released so the corrected form can be sent.  A form sent
again with other content (the user went back and changed it) is a new submission.

The API has the same guarantee through the ``Idempotency-Key`` header
(``ipcenter.api.IdempotentMixin``).
"""
import secrets
import time

from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

FIELD_NAME = "_once"
PENDING = "\x00pending"
TTL = 6 * 3600  # a tab left open for a working day can still be sent once
WAIT_SECONDS = 8  # how long a replay waits for the first request to finish


def new_token():
    return secrets.token_urlsafe(24)


def valid_token(token):
    return isinstance(token, str) and 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def cache_key(namespace, owner, token):
    return f"submit-once:{namespace}:{owner}:{token}"


def content_digest(request):
    """What the form sent, minus the CSRF token: identical double clicks share it."""
    import hashlib

    h = hashlib.sha256()
    for name in sorted(request.POST):
        if name == "csrfmiddlewaretoken":
            continue
        for value in request.POST.getlist(name):
            h.update(f"{name}\x00{value}\x01".encode())
    for name in sorted(request.FILES):
        for f in request.FILES.getlist(name):
            h.update(f"{name}\x00{f.name}\x00{f.size}\x02".encode())
    return h.hexdigest()[:32]


def owner_of(request):
    user = getattr(request, "user", None)
    return f"u{user.pk}" if user is not None and user.is_authenticated else "anon"


class Claim:
    """One token's life: ``begin`` claims it (or reports what the first request did),
    ``finish`` records the outcome."""

    def __init__(self, key):
        self.key = key

    def begin(self):
        """``None`` when this request is the first with the token; otherwise the first
        request's remembered outcome (``PENDING`` if it has not finished in time)."""
        if cache.add(self.key, PENDING, timeout=TTL):
            return None
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            outcome = cache.get(self.key)
            if outcome is None:  # the first request failed and released the token: this one may run
                if cache.add(self.key, PENDING, timeout=TTL):
                    return None
                continue
            if outcome != PENDING or time.monotonic() >= deadline:
                return outcome
            time.sleep(0.1)

    def remember(self, outcome):
        cache.set(self.key, outcome, timeout=TTL)

    def release(self):
        cache.delete(self.key)


class SubmitOnceMiddleware:
    """See the module docstring.  A POST without a token is served as before (scripts and
    forms that do not render the field); the browser forms of the portal all carry one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD_NAME) if request.method == "POST" else None
        if not token or not valid_token(token):
            return self.get_response(request)
        claim = Claim(cache_key("form", owner_of(request), f"{token}:{content_digest(request)}"))
        outcome = claim.begin()
        if outcome is not None:
            return self.replay(request, outcome)
        try:
            response = self.get_response(request)
        except BaseException:
            claim.release()
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            claim.remember(response["Location"])
        else:
            claim.release()
        return response

    @staticmethod
    def replay(request, outcome):
        from django.contrib import messages

        if outcome == PENDING:
            messages.warning(request, _("该表单正在提交，请勿重复提交；稍后在列表中查看结果。"))
            return HttpResponseRedirect(request.get_full_path())
        messages.info(request, _("该表单已经提交过，以下是第一次提交的结果。"))
        return HttpResponseRedirect(outcome)
