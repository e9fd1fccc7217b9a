from django.urls import path

from . import api

app_name = "verification_api"
urlpatterns = [
    path(
        "pairs/<int:pair_id>/correction/",
        api.PairCorrectionViewSet.as_view({"get": "correction", "post": "submit"}),
        name="correction",
    ),
]
