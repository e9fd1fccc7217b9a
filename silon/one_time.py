"""One-time secrets on a page that cannot re-submit (#21, post/redirect/get).

A view that creates an account answers its POST with a redirect; the new one-time password waits in the
issuer's own session under the object it belongs to and is popped by the first GET of the page that shows it.
A refresh, the back button or a second tab shows the page without it (it was shown once; issue a new one if it
was lost), and a resubmitted form can never issue a second account by accident. Nothing is kept in clear
beyond that one redirect: the session entry is gone as soon as it is read."""

from django.http import HttpRequest, HttpResponse

SESSION_KEY = "silon.one_time"


def one_time_stash(request: HttpRequest, *, kind: str, object_id: int, values: dict[str, str]) -> None:
    """Keep ``values`` (strings: the session is JSON) for the next page of ``kind`` about ``object_id``."""
    stash = request.session.get(SESSION_KEY, {})
    stash[f"{kind}:{object_id}"] = values
    request.session[SESSION_KEY] = stash


def one_time_pop(request: HttpRequest, *, kind: str, object_id: int) -> dict[str, str] | None:
    """The values stashed for ``kind`` and ``object_id``, removed from the session; None once shown."""
    stash = request.session.get(SESSION_KEY, {})
    values = stash.pop(f"{kind}:{object_id}", None)
    if values is not None:
        request.session[SESSION_KEY] = stash
    return values


def never_stored(response: HttpResponse) -> HttpResponse:
    """A page with a secret on it is kept by no cache and no browser history store."""
    response["Cache-Control"] = "no-store"
    return response
