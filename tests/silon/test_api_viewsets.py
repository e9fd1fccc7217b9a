"""The API has one style (#14, docs/architecture.md "Inside an app"): every API view is a DRF ViewSet
(``viewsets.GenericViewSet`` with mixins, ``@action`` for the extra routes), whatever the app.

The scan walks the project's URL resolver: every route under ``api/``, and every DRF view anywhere, must be a
ViewSet's bound action (its callback's ``cls`` a ``ViewSetMixin``). A plain ``APIView``, a generic view, an
``@api_view`` function or a Django view in an API URL conf fails it. The one exception is drf-spectacular's
schema view, a third-party view that serves the OpenAPI document itself.
"""

from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSetMixin

NOT_OURS = (SpectacularAPIView,)  # third-party: the schema of the API, not an API of the project


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name, pattern.callback


def api_routes(patterns) -> list[tuple[str, str | None, type | None]]:
    """Every route the scan holds to the rule: under ``api/``, or answered by a DRF view."""
    found = []
    for route, name, callback in _routes(patterns):
        cls = getattr(callback, "cls", None)  # set by DRF's as_view (ViewSets, APIViews, @api_view alike)
        is_drf = isinstance(cls, type) and issubclass(cls, APIView)
        if route.lstrip("^").startswith("api/") or is_drf:
            found.append((route, name, cls))
    return found


def not_viewsets(patterns) -> list[str]:
    return [
        f"{route} ({name}): {cls.__module__}.{cls.__qualname__}" if cls else f"{route} ({name}): not a DRF view"
        for route, name, cls in api_routes(patterns)
        if not (cls is not None and (issubclass(cls, ViewSetMixin) or issubclass(cls, NOT_OURS)))
    ]


def test_every_api_view_of_the_project_is_a_viewset():
    routes = api_routes(get_resolver().url_patterns)
    # the scan sees the API: each app's API URL conf, the candidacy routers' routes and the bound ones alike
    names = {name for _route, name, _cls in routes}
    for expected in ("election-list", "pair-transitions", "uploads", "upload_rows", "correction", "region_detail"):
        assert expected in names, expected
    assert len(routes) >= 40
    assert not_viewsets(get_resolver().url_patterns) == []


# --- the scan refuses what it should ------------------------------------------------------------------


class _Echo(serializers.Serializer):
    ok = serializers.BooleanField()


class PlantedAPIView(APIView):
    def get(self, request):
        return Response({"ok": True})


class PlantedListView(generics.ListAPIView):
    serializer_class = _Echo


@api_view(["GET"])
def planted_function(request):
    return Response({"ok": True})


def planted_django_view(request):
    return JsonResponse({"ok": True})


class PlantedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = _Echo


def _planted(*views) -> list:
    api = [path(f"{n}/", view, name=f"planted-{n}") for n, view in enumerate(views)]
    return [path("api/planted/", include((api, "planted"))), path("api/schema/", SpectacularAPIView.as_view())]


def test_the_scan_refuses_an_api_view_that_is_not_a_viewset():
    for view in (PlantedAPIView.as_view(), PlantedListView.as_view(), planted_function, planted_django_view):
        refused = not_viewsets(_planted(PlantedViewSet.as_view({"get": "list"}), view))
        assert len(refused) == 1 and refused[0].startswith("api/planted/1/ (planted-1)"), refused


def test_the_scan_refuses_a_drf_view_outside_api():
    patterns = [path("dukungan/x/", PlantedAPIView.as_view(), name="x"), path("dukungan/page/", planted_django_view)]
    assert not_viewsets(patterns) == [f"dukungan/x/ (x): {__name__}.PlantedAPIView"]


def test_the_scan_accepts_viewsets_and_the_schema_view():
    assert not_viewsets(_planted(PlantedViewSet.as_view({"get": "list"}))) == []
