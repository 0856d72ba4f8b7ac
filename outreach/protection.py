"""Guards of the public registration form: a cache-based rate limit per client address and a
small arithmetic question whose answer travels signed in the form (no session needed)."""
import random

from django import forms
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

SALT = "outreach.human-check"


def client_ip(request):
    """The client's address as the core sees it (``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT``
    proxies the address they forwarded)."""
    from ipcenter.http import client_address

    return client_address(request)


def over_limit(scope, request, limit=5, window=600):
    """Count one hit of ``request``'s address for ``scope``; True once ``limit`` hits fell in the window."""
    key = f"outreach:rl:{scope}:{client_ip(request)}"
    if cache.add(key, 1, window):
        return False
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return False
    return hits > limit


def new_challenge():
    a, b = random.randint(1, 9), random.randint(1, 9)
    return signing.dumps([a, b], salt=SALT), a, b


class HumanCheckMixin(forms.Form):
    challenge = forms.CharField(widget=forms.HiddenInput)
    answer = forms.IntegerField(label=_("验证问题"), error_messages={"invalid": _("请输入数字。"),
                                                                     "required": _("请回答验证问题。")})

    def refresh_challenge(self):
        """A new question for the page about to be shown (after an error the old one is spent)."""
        token, a, b = new_challenge()
        self.fields["answer"].label = _("验证问题：%(a)d + %(b)d = ?") % {"a": a, "b": b}
        if self.is_bound:
            data = self.data.copy()
            data["challenge"], data["answer"] = token, ""
            self.data = data
        else:
            self.initial["challenge"] = token

    def clean(self):
        cleaned = super().clean()
        token, answer = cleaned.get("challenge"), cleaned.get("answer")
        if answer is None:
            return cleaned
        try:
            a, b = signing.loads(token or "", salt=SALT, max_age=3600)
        except (signing.BadSignature, ValueError, TypeError):
            self.add_error("answer", _("验证问题已过期，请重新回答。"))
            return cleaned
        if answer != a + b:
            self.add_error("answer", _("验证问题回答错误。"))
        return cleaned
