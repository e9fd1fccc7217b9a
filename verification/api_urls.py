from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .api_rounds import RoundViewSet

app_name = "verification_api"
router = SimpleRouter()
router.register("rounds", RoundViewSet, basename="round")
urlpatterns = [
    path(
        "pairs/<int:pair_id>/correction/",
        api.PairCorrectionViewSet.as_view({"get": "correction", "post": "submit"}),
        name="correction",
    ),
    *router.urls,
]
