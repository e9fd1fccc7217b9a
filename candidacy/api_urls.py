from rest_framework.routers import SimpleRouter

from .api import DocumentViewSet, ElectionViewSet, PairViewSet
from .api.outages import OutageViewSet

app_name = "candidacy_api"
router = SimpleRouter()
router.register("elections", ElectionViewSet, basename="election")
router.register("pairs", PairViewSet, basename="pair")
router.register("documents", DocumentViewSet, basename="document")
router.register("outages", OutageViewSet, basename="outage")
urlpatterns = router.urls
