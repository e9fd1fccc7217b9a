from rest_framework.routers import SimpleRouter

from .api import ObjectionViewSet, PublicObjectionViewSet

app_name = "objections_api"
router = SimpleRouter()
router.register("public", PublicObjectionViewSet, basename="public")
router.register("objections", ObjectionViewSet, basename="objection")
urlpatterns = router.urls
