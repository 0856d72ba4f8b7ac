"""ipcenter.http.client_address: REMOTE_ADDR unless the site says how many proxies it trusts; then
the address the outermost trusted proxy saw, never one the client wrote into X-Forwarded-For."""
import pytest
from django.test import RequestFactory

from ipcenter.http import client_address


def _req(remote="10.0.0.5", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_req()) == "10.0.0.5"
    assert client_address(_req(xff="1.2.3.4")) == "10.0.0.5"  # anyone can send the header
    assert client_address(_req(remote="")) == "unknown"


@pytest.mark.parametrize("count, xff, expected", [
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),            # the client's own entry is not believed
    (2, "6.6.6.6, 203.0.113.7, 172.16.0.2", "203.0.113.7"),  # CDN then load balancer
    (2, "203.0.113.7", "10.0.0.5"),                          # fewer hops than configured
    (1, "not-an-address", "10.0.0.5"),
    (1, "", "10.0.0.5"),
    (1, "203.0.113.7:51234", "203.0.113.7"),
    (1, "[2001:db8::1]:443", "2001:db8::1"),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_trusted_proxies_take_the_nth_address_from_the_right(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_req(xff=xff)) == expected


def test_the_setting_comes_from_the_environment():
    from django.conf import settings

    assert settings.TRUSTED_PROXY_COUNT == 0  # default: no proxy trusted
