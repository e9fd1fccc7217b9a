from django.urls import path, re_path

from . import exports, views

app_name = "portal"
urlpatterns = [
    re_path(r"^wilayah/(?P<code>\d{2}(?:\.\d{2})?)/$", views.region, name="region"),
    path("pemilihan/<int:election_id>/", views.election, name="election"),
    path("paslon/<int:pair_id>/", views.pair, name="pair"),
    path("foto/<int:candidate_id>/", views.candidate_photo, name="photo"),
    path("data/", views.open_data, name="open_data"),
    path("data/<slug:name>.csv", exports.download, name="csv"),
    path("ping", views.ping, name="ping"),
]
