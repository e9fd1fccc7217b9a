from rest_framework.routers import SimpleRouter

from .api import ElectionViewSet, PairViewSet

app_name = "candidacy_api"
router = SimpleRouter()
router.register("elections", ElectionViewSet, basename="election")
router.register("pairs", PairViewSet, basename="pair")
urlpatterns = router.urls
