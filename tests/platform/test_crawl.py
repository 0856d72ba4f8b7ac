"""Every page of the portal, as four demo roles, with hostile query strings: never a 5xx.

The URL list is read from the URL configuration, so a page added later is crawled too; pages
that take a record id are asked for one that does not exist (a 404, not an error)."""
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from ipcenter.accounts.models import User

pytestmark = [pytest.mark.django_db]

HOSTILE = [
    "",
    "?page=-1&per_page=abc&sort=password",
    "?q=%27%22%3Cscript%3E&state=zzz&technical_field=abc&league=-5&examiner=999999&organization=abc&station=x"
    "&submitted_after=2026-13-45&accepted_before=abc&overdue=7&near_duplicate=x&date_from=x&date_to=2026-02-30",
    "?_count=1&state=zzz&page=x",
    "?export=xlsx&state=zzz&level=zz&month=abc&year=abc&kind=zz",
]
SKIPPED = ("admin:", "logout", "set_language")  # the admin is Django's; logout and language change the session


def _names(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def _url(name):
    for args in ([], [987654], ["987654"]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


@pytest.mark.parametrize("username", ["manager", "applicant", "examiner", "mediator"])
def test_no_page_answers_a_hostile_query_with_a_server_error(username):
    """One test per role, so the crawl's ~1,500 requests per role spread over the test workers."""
    call_command("seed_demo", verbosity=0)
    urls = sorted({u for u in (_url(n) for n in set(_names(get_resolver().url_patterns))
                               if not n.startswith(SKIPPED)) if u})
    assert len(urls) > 100
    failures, requests = [], 0
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
    for url in urls:
        for query in HOSTILE:
            requests += 1
            status = client.get(url + query).status_code
            if status >= 500:
                failures.append((username, url + query, status))
    assert requests > 400
    assert failures == []
