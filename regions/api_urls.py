from django.urls import path, re_path

from . import api

app_name = "regions_api"
urlpatterns = [
    path("", api.RegionListApi.as_view(), name="region_list"),
    path("versions/", api.RegionListVersionListApi.as_view(), name="version_list"),
    re_path(
        r"^(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/$", api.RegionDetailApi.as_view(), name="region_detail"
    ),
]
