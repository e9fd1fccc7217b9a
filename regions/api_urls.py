"""The region API's routes, each bound to its viewset action by hand under the path and name it has always
had (clients, the OpenAPI schema and the permission matrix know them)."""

from django.urls import path, re_path

from . import api

app_name = "regions_api"
urlpatterns = [
    path("", api.RegionViewSet.as_view({"get": "list"}), name="region_list"),
    path("versions/", api.RegionListVersionViewSet.as_view({"get": "list"}), name="version_list"),
    re_path(
        r"^(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/$",
        api.RegionViewSet.as_view({"get": "retrieve"}),
        name="region_detail",
    ),
]
