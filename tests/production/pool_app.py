"""A stand-in for one gunicorn pool behind the proxy (tests/production/test_front.py): a WSGI app that names
its pool (``SILON_POOL``) and counts the requests it answered, so a test sees which pool answered and whether
the proxy's cache did instead. What its pages send, by path:

- ``/publik/...``: an anonymous portal page as portal.views sends it (``max-age=0, s-maxage=N``, ``Vary:
  Cookie``, an ETag), N from ``?s=`` (default 60);
- ``/kue/``: the same, with a Set-Cookie; ``/pribadi/``: ``Cache-Control: no-store``;
- anything else: no Cache-Control.

``?lambat=S`` makes any request take S seconds (a busy pool)."""

import itertools
import os
import time
import urllib.parse

COUNTER = itertools.count(1)


def app(environ, start_response):
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    delay = float(query.get("lambat", ["0"])[0])
    if delay:
        time.sleep(delay)
    if environ.get("CONTENT_LENGTH"):
        environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    number = next(COUNTER)
    path = environ.get("PATH_INFO", "/")
    body = f"pool={os.environ['SILON_POOL']} n={number} path={path} cookie={environ.get('HTTP_COOKIE', '')}\n"
    headers = [("Content-Type", "text/plain; charset=utf-8")]
    seconds = query.get("s", ["60"])[0]
    if path.startswith(("/publik/", "/kue/")):
        headers += [("Cache-Control", f"max-age=0, s-maxage={seconds}"), ("Vary", "Cookie"), ("ETag", f'"{number}"')]
    if path.startswith("/kue/"):
        headers.append(("Set-Cookie", f"csrftoken=t{number}; Path=/"))
    if path.startswith("/pribadi/"):
        headers.append(("Cache-Control", "no-store"))
    start_response("200 OK", headers)
    return [body.encode()]
