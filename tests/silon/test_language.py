"""Indonesian for every visitor whatever the browser asks; English only from the language switch, remembered (#21)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.mark.parametrize("url", ["/", "/akun/masuk/"])
def test_an_english_browser_gets_indonesian(client, url):
    response = client.get(url, **ENGLISH_BROWSER)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html and response["Content-Language"] == "id"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_switch_chooses_english_and_it_is_remembered(client, settings):
    switch = client.get(reverse("language", args=["en"]) + "?next=/", **ENGLISH_BROWSER)
    assert switch.status_code == 302 and switch.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for _ in range(2):  # the next pages too, with an Indonesian browser even
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
        assert '<html lang="en">' in html
    client.get(reverse("language", args=["id"]) + "?next=/")
    assert '<html lang="id">' in client.get("/", **ENGLISH_BROWSER).content.decode()


def test_an_unknown_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="id">' in client.get("/", **ENGLISH_BROWSER).content.decode()
