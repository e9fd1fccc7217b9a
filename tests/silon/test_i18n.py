from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


def test_english_catalog_is_compiled_and_used():
    with translation.override("en"):
        assert gettext("Beranda") == "Home"
        assert gettext("Masuk") == "Sign in"
    with translation.override("id"):
        assert gettext("Beranda") == "Beranda"


def test_language_switch_changes_the_page(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html
    assert "Sign in" in html


def _switch_link(html: str, code: str) -> str:
    """The href of the language link for ``code`` in base.html's header."""
    marker = f'href="{reverse("language", args=[code])}?next='
    start = html.index(marker) + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_language_link_switches_and_returns_to_the_page(client, db):
    login = reverse("accounts:login")
    html = client.get(login).content.decode()
    assert 'lang="id"' in html and "csrfmiddlewaretoken" in html  # the login form's own token, not the switch's
    response = client.get(_switch_link(html, "en"))
    assert response.status_code == 302 and response["Location"] == login
    assert response.cookies["django_language"].value == "en"
    html = client.get(login).content.decode()
    assert 'lang="en"' in html and "Sign in" in html
    # …and back, from the English page.
    client.get(_switch_link(html, "id"))
    assert 'lang="id"' in client.get(login).content.decode()


def test_language_link_keeps_only_a_local_next(client, db):
    url = reverse("language", args=["en"])
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""):
        response = client.get(url, {"next": hostile})
        assert response.status_code == 302 and response["Location"] == reverse("home"), hostile
    response = client.get(url, {"next": "/publik/data/?a=1&b=2"})
    assert response["Location"] == "/publik/data/?a=1&b=2"
    assert "no-cache" in response["Cache-Control"]


def test_language_link_ignores_unknown_codes_and_other_sites(client, db):
    response = client.get(reverse("language", args=["xx"]), {"next": "/"})
    assert response.status_code == 302 and "django_language" not in response.cookies
    # A link on another site may not switch a visitor's language behind their back.
    for source in ("cross-site", "same-site"):
        response = client.get(reverse("language", args=["en"]), {"next": "/"}, headers={"Sec-Fetch-Site": source})
        assert response.status_code == 302 and "django_language" not in response.cookies
    for source in ("same-origin", "none"):
        response = client.get(reverse("language", args=["en"]), {"next": "/"}, headers={"Sec-Fetch-Site": source})
        assert response.cookies["django_language"].value == "en"
    assert client.post(reverse("language", args=["en"]), {"next": "/"}).status_code == 405
