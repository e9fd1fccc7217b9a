from django.urls import path, re_path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.province_list, name="province_list"),
    path("cari/", views.search, name="search"),
    # Kemendagri code: PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD.
    re_path(r"^(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/$", views.region_detail, name="region_detail"),
]
