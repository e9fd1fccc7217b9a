def test_pages_carry_a_csp_without_inline_scripts_and_frame_denial(client, db):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_home_page_has_no_inline_script(client, db):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert "style=" not in html


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_english_is_available(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def _sample_urls() -> dict[str, str]:
    """One URL without arguments of every namespace of the URL conf (the root one included), generated, so
    a new app is sampled without anyone remembering to add it."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex:
                yield namespace, p.name, getattr(p.pattern, "converters", {})

    sample: dict[str, str] = {}
    for namespace, name, converters in walk(get_resolver().url_patterns, ""):
        if converters or namespace in sample:
            continue
        try:
            sample[namespace] = reverse(f"{namespace}:{name}" if namespace else name)
        except Exception:  # noqa: S112 - a pattern that needs arguments after all
            continue
    return sample


def _assert_hardened(response, url):
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert "script-src 'self'" in csp, url
    assert "frame-ancestors 'none'" in csp, url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url


def test_every_namespace_answers_with_the_security_headers(client, db):
    from tests.accounts.factories import UserFactory

    sample = _sample_urls()
    # the public site, the login page, an operator page, the JSON API and Django's admin all take part
    assert {"", "accounts", "portal", "candidacy", "candidacy_api", "portal_api", "admin"} <= set(sample), sample
    admin = UserFactory(username="header-admin", role="admin", level="", region_code="", is_staff=True)
    kinds = set()
    for user in (None, admin):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in [*sample.values(), "/tidak-ada-halaman-ini/", "/api/candidacy/tidak-ada/"]:
            response = client.get(url)
            _assert_hardened(response, url)
            kinds.add((response.status_code, response.headers.get("Content-Type", "").split(";")[0]))
    # the sample reached an HTML page, a JSON answer and the 404 page, not only redirects
    assert (200, "text/html") in kinds, kinds
    assert (200, "application/json") in kinds, kinds
    assert (404, "text/html") in kinds, kinds


def test_the_debug_404_page_does_not_list_the_urls(client, settings):
    settings.DEBUG = True
    response = client.get("/tidak-ada-halaman-ini/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in html and "api/schema/" not in html and "admin/" not in html  # the patterns
    assert "Halaman tidak ditemukan" in html  # the project's own 404 template
    assert client.get("/api/tidak-ada/").json() == {"detail": "Tidak ditemukan."}
