"""The web container's health check (``python -m silon.healthcheck``, docker-compose.yml).

It asks gunicorn in the same container for ``/healthz`` the way the front proxy asks: production settings answer
only the hosts in ``ALLOWED_HOSTS`` and send plain HTTP to HTTPS, so the check names one of those hosts and sends
the header that tells Django the client's request came over HTTPS (``SECURE_PROXY_SSL_HEADER``, the one the proxy
sets; `web` publishes no port, only the proxy and this check reach it). It follows no redirect: healthy is 200
with ``{"status": "ok"}`` (the view also queries the database). Exit status 0 when healthy, 1 when not.
``PORT`` is the port gunicorn binds (gunicorn's own variable; 8000 by default).
"""

import http.client
import json
import os
import sys


def probe_host(allowed_hosts: list[str]) -> str:
    """A host name the settings accept: the first ``ALLOWED_HOSTS`` entry that names one."""
    for entry in allowed_hosts:
        if entry != "*":
            return entry.lstrip(".")  # ".example.go.id" allows example.go.id itself too
    return "localhost"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silon.settings")
    from django.conf import settings

    headers = {"Host": probe_host(settings.ALLOWED_HOSTS)}
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        meta_name, value = proxy_header
        headers[meta_name.removeprefix("HTTP_").replace("_", "-").title()] = value
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers=headers)
        response = connection.getresponse()
        body = response.read()
    except OSError as exc:
        print(f"unhealthy: 127.0.0.1:{port}: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if response.status != 200 or answer != {"status": "ok"}:
        print(f"unhealthy: /healthz answered {response.status} {body[:200]!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
