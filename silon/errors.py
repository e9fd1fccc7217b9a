"""One path from a service's refusal to HTTP (HackSoftware/Django-Styleguide, "Errors & exception handling").

Services refuse with Django's own exceptions: ``ValidationError`` (the request cannot be done as asked; the
project's ``candidacy.services.StageClosedError`` is one), ``PermissionDenied`` (not this user), ``Http404``
or ``ObjectDoesNotExist`` (not within the user's reach, which looks the same as absent). Views never catch
them one by one:

- the API lets them through to ``api_exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``);
- a page wraps the service call in ``page_refusals``, which shows the refusal on the form or as a message.

The API answers a refusal in one of two bodies, chosen by the view's ``refusal_body`` (the shape each API
has always answered, which its clients and the OpenAPI schema know):

- ``FIELDS`` (the default; the candidacy API): DRF's own validation shape, ``{"field": ["message", ...]}``
  per field the error names, else ``{"non_field_errors": [...]}``;
- ``DETAIL`` (the support and verification APIs): one sentence, ``{"detail": "message message"}``, for the
  refusals of their input serializers and services alike, a ``PermissionDenied`` included (403).

Every other error body is DRF's ``{"detail": "..."}`` (``silon.openapi.ErrorDetailSerializer``).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

FIELDS = "fields"
DETAIL = "detail"


def refusal_messages(exc: Exception) -> list[str]:
    """The messages of a refusal, in order: a ``ValidationError``'s (every field's), else the exception's text."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, exceptions.ValidationError):
        return list(_flatten(exc.detail))
    return [str(exc)]


def _flatten(detail) -> Iterator[str]:
    if isinstance(detail, Mapping):
        for value in detail.values():
            yield from _flatten(value)
    elif isinstance(detail, list | tuple):
        for value in detail:
            yield from _flatten(value)
    else:
        yield str(detail)


def api_exception_handler(exc: Exception, context: dict):
    """DRF's exception handler, with the services' Django exceptions turned into their HTTP answers."""
    style = getattr(context.get("view"), "refusal_body", FIELDS)
    if style == DETAIL and isinstance(exc, ValidationError | exceptions.ValidationError | PermissionDenied):
        refused = exceptions.PermissionDenied if isinstance(exc, PermissionDenied) else exceptions.ValidationError
        exc = refused({"detail": " ".join(refusal_messages(exc))})
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    # DRF itself answers Http404 (404) and PermissionDenied (403, with the service's message).
    return drf_exception_handler(exc, context)


SHOW = "show"


@contextmanager
def page_refusals(
    request: HttpRequest,
    *,
    form: forms.Form | None = None,
    denied: Literal["show"] | type[Http404] | ValidationError | None = None,
) -> Iterator[None]:
    """Show a service's refusal on the page being answered; the rest of the ``with`` block is skipped.

    A ``ValidationError`` goes on ``form`` (on each field it names that the form has, the rest above the
    form), or without a form into one error message for the next page (``django.contrib.messages``).
    A ``PermissionDenied`` propagates (Django answers 403) unless ``denied`` says otherwise: ``SHOW`` shows
    its text as a refusal, ``Http404`` answers 404 (another's object looks absent), and a ``ValidationError``
    given there is shown in its place.

        with page_refusals(request, form=form):
            pair = pair_create(actor=request.user, election=election, **form.cleaned_data)
            return redirect(pair_url(pair))
        return form_page(request, form, ...)  # refused: the form again, with the service's reasons
    """
    try:
        yield
    except ValidationError as exc:
        _show(request, form, exc)
    except PermissionDenied as exc:
        if denied is None:
            raise
        if denied is Http404:
            raise Http404 from exc
        _show(request, form, exc if denied == SHOW else denied)


def _show(request: HttpRequest, form: forms.Form | None, exc: Exception) -> None:
    if form is None:
        messages.error(request, " ".join(refusal_messages(exc)))
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_messages(exc))
