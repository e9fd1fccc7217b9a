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
