from rest_framework.routers import SimpleRouter

from .api import DocumentViewSet, ElectionViewSet, PairViewSet

app_name = "candidacy_api"
router = SimpleRouter()
router.register("elections", ElectionViewSet, basename="election")
router.register("pairs", PairViewSet, basename="pair")
router.register("documents", DocumentViewSet, basename="document")
urlpatterns = router.urls
