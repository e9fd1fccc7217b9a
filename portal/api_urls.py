"""The open-data API's routes, each bound to its viewset action by hand under the path and name it has always
had (clients, the OpenAPI schema and the permission matrix know them)."""

from django.urls import path

from . import api

LIST = {"get": "list"}
RETRIEVE = {"get": "retrieve"}

app_name = "portal_api"
urlpatterns = [
    path("elections/", api.ElectionViewSet.as_view(LIST), name="election-list"),
    path("elections/<int:pk>/", api.ElectionViewSet.as_view(RETRIEVE), name="election-detail"),
    path("pairs/", api.PairViewSet.as_view(LIST), name="pair-list"),
    path("pairs/<int:pk>/", api.PairViewSet.as_view(RETRIEVE), name="pair-detail"),
    path("stages/", api.StageViewSet.as_view(LIST), name="stage-list"),
    path("support/", api.SupportViewSet.as_view(LIST), name="support-list"),
    path("audit-checkpoints/", api.AuditCheckpointViewSet.as_view(LIST), name="audit-checkpoint-list"),
    path("objections/", api.ObjectionCountViewSet.as_view(LIST), name="objection-list"),
]
