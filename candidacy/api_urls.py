from rest_framework.routers import SimpleRouter

from .api import DocumentViewSet, ElectionViewSet, PairResponseViewSet, PairViewSet, PublicResponseViewSet
from .api.outages import OutageViewSet

app_name = "candidacy_api"
router = SimpleRouter()
router.register("elections", ElectionViewSet, basename="election")
router.register("pairs", PairViewSet, basename="pair")
router.register("documents", DocumentViewSet, basename="document")
router.register("outages", OutageViewSet, basename="outage")
router.register("responses", PublicResponseViewSet, basename="response")
router.register(r"pairs/(?P<pair_id>\d+)/responses", PairResponseViewSet, basename="pair-response")
urlpatterns = router.urls
