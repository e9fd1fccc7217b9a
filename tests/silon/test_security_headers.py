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


def test_english_is_available(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
