"""Fetching a message's remote images (services/remote_content.py) against a loopback server.

The server is ``tests/servers/fake_images.py`` with the trustme certificate; the client
trusts only the test CA. Nothing here leaves the machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from govmail_desktop.policy.hosts import parse_pattern
from govmail_desktop.policy.model import ContentSection
from govmail_desktop.services.remote_content import (
    REASON_HOST,
    REASON_REDIRECTS,
    REASON_SCHEME,
    REASON_SIZE,
    REASON_STATUS,
    REASON_TIME,
    REASON_TOTAL,
    REASON_TYPE,
    USER_AGENT,
    Budget,
    RemoteRefused,
    RemoteRules,
    fetch_image,
)
from tests.servers.certs import TestCertificates
from tests.servers.fake_images import PNG, ImageServer, Route, client_context, image_server


@pytest.fixture
def server(certs: TestCertificates) -> Iterator[ImageServer]:
    with image_server(certs) as running:
        yield running


def fetch(server_or_url: ImageServer | str, certs: TestCertificates, rules: RemoteRules | None = None,
          path: str = "/a.png", budget: Budget | None = None) -> bytes:
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.url(path)
    return fetch_image(url, rules or RemoteRules(), context=client_context(certs), budget=budget).data


def refused(reason: str, *args: object, **kwargs: object) -> None:
    with pytest.raises(RemoteRefused) as caught:
        fetch(*args, **kwargs)
    assert caught.value.reason == reason, caught.value


def test_an_image_over_https_is_fetched(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/a.png"] = Route()
    assert fetch(server, certs) == PNG
    assert server.paths() == ["/a.png"]


def test_no_cookie_and_no_referrer_are_sent_even_when_the_server_sets_a_cookie(
    server: ImageServer, certs: TestCertificates
) -> None:
    cookie = (("Set-Cookie", "track=abc123; Path=/"),)
    server.routes["/first.png"] = Route(headers=cookie)
    server.routes["/hop"] = Route(status=302, body=b"", content_type=None,
                                  headers=(*cookie, ("Location", "/second.png")))
    server.routes["/second.png"] = Route(headers=cookie)
    fetch(server, certs, path="/first.png")
    fetch(server, certs, path="/hop")
    assert server.paths() == ["/first.png", "/hop", "/second.png"]
    for request in server.requests:
        assert "cookie" not in request.headers
        assert "referer" not in request.headers
        assert request.headers.get("user-agent") == USER_AGENT
        assert "authorization" not in request.headers


def test_plain_http_is_refused_unless_the_policy_allows_it(certs: TestCertificates) -> None:
    with image_server(None) as plain:
        plain.routes["/a.png"] = Route()
        refused(REASON_SCHEME, plain, certs)
        assert plain.count == 0, "not even asked"
        assert fetch(plain, certs, RemoteRules(allow_http=True)) == PNG
        assert plain.count == 1


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/a.png", "file:///etc/passwd", "data:image/png;base64,AAAA", "javascript:alert(1)",
     "https://user:secret@127.0.0.1/a.png", "https:///nohost.png", "https://bad host/a.png"],
)
def test_urls_that_are_not_plain_web_addresses_are_refused(url: str, certs: TestCertificates) -> None:
    with pytest.raises(RemoteRefused):
        fetch(url, certs, RemoteRules(allow_http=True))


def test_a_host_outside_the_policys_remote_hosts_is_refused(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/a.png"] = Route()
    only_ip = RemoteRules(hosts=(parse_pattern("127.0.0.1", allow_ip=True),))
    refused(REASON_HOST, server.url("/a.png", host="localhost"), certs, only_ip)
    assert server.count == 0
    assert fetch(server, certs, only_ip) == PNG


def test_a_redirect_to_a_host_outside_the_list_is_refused(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/hop"] = Route(status=301, body=b"", content_type=None,
                                  headers=(("Location", server.url("/a.png", host="localhost")),))
    server.routes["/a.png"] = Route()
    only_ip = RemoteRules(hosts=(parse_pattern("127.0.0.1", allow_ip=True),))
    refused(REASON_HOST, server, certs, only_ip, path="/hop")
    assert server.paths() == ["/hop"], "the disallowed target was never asked"


def test_a_redirect_from_https_to_http_is_refused(server: ImageServer, certs: TestCertificates) -> None:
    with image_server(None) as plain:
        plain.routes["/a.png"] = Route()
        server.routes["/hop"] = Route(status=302, body=b"", content_type=None,
                                      headers=(("Location", plain.url("/a.png")),))
        refused(REASON_SCHEME, server, certs, path="/hop")
        assert plain.count == 0


def test_endless_redirects_stop(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/loop"] = Route(status=302, body=b"", content_type=None, headers=(("Location", "/loop"),))
    refused(REASON_REDIRECTS, server, certs, RemoteRules(max_redirects=3), path="/loop")
    assert server.count == 4


def test_an_image_larger_than_the_cap_is_refused_by_its_declared_length(
    server: ImageServer, certs: TestCertificates
) -> None:
    server.routes["/big.png"] = Route(body=PNG + b"\0" * 5000)
    refused(REASON_SIZE, server, certs, RemoteRules(max_image_bytes=1000), path="/big.png")


def test_an_image_without_a_length_is_cut_at_the_cap(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/big.png"] = Route(body=PNG + b"\0" * 200_000, length=False)
    refused(REASON_SIZE, server, certs, RemoteRules(max_image_bytes=10_000), path="/big.png")


def test_the_message_total_is_capped(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/a.png"] = Route(body=PNG + b"\0" * 1000)
    budget = Budget(2500)
    fetch(server, certs, budget=budget)
    fetch(server, certs, budget=budget)
    refused(REASON_TOTAL, server, certs, budget=budget)


def test_a_slow_body_is_cut_at_the_time_limit(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/slow.png"] = Route(body=PNG * 50, trickle=0.05, chunk=10)  # about 20 s in all
    started = time.monotonic()
    refused(REASON_TIME, server, certs, RemoteRules(time_limit=0.5), path="/slow.png")
    assert time.monotonic() - started < 5


def test_a_server_that_never_answers_is_cut_at_the_time_limit(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/silent.png"] = Route(delay=30)
    started = time.monotonic()
    refused(REASON_TIME, server, certs, RemoteRules(time_limit=0.5), path="/silent.png")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><script>alert(1)</script></html>"),
        ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x/y"/></svg>'),
        ("image/png", b"<html>not a picture at all</html>"),
        (None, PNG),
        ("application/octet-stream", PNG),
    ],
    ids=["html", "svg", "png-label-on-html", "no-type", "octet-stream"],
)
def test_only_images_are_taken(server: ImageServer, certs: TestCertificates, content_type: str | None,
                               body: bytes) -> None:
    server.routes["/x"] = Route(body=body, content_type=content_type)
    refused(REASON_TYPE, server, certs, path="/x")


def test_an_error_status_is_refused(server: ImageServer, certs: TestCertificates) -> None:
    server.routes["/gone.png"] = Route(status=404, body=b"no")
    refused(REASON_STATUS, server, certs, path="/gone.png")


def test_a_certificate_the_client_does_not_trust_is_refused(certs: TestCertificates) -> None:
    other = TestCertificates()
    with image_server(other) as server:
        server.routes["/a.png"] = Route()
        with pytest.raises(RemoteRefused):
            fetch(server, certs)


def test_rules_follow_the_policy() -> None:
    content = ContentSection(
        remote_content="block", remote_content_allowed=False, remote_http=True,
        remote_hosts=(parse_pattern(".images.go.th"),),
    )
    rules = RemoteRules.from_policy(content)
    assert (rules.allowed, rules.allow_http, rules.hosts) == (False, True, content.remote_hosts)
    with pytest.raises(RemoteRefused):
        rules.check_url("https://cdn.images.go.th/a.png")
    allowed = RemoteRules.from_policy(ContentSection(remote_content="block", remote_hosts=content.remote_hosts))
    allowed.check_url("https://cdn.images.go.th/a.png")
    with pytest.raises(RemoteRefused):
        allowed.check_url("https://images.go.th.evil.example/a.png")
    with pytest.raises(RemoteRefused):
        allowed.check_url("https://cdn.imаges.go.th/a.png")  # Cyrillic а
