from django.urls import path

from . import api

app_name = "portal_api"
urlpatterns = [
    path("elections/", api.ElectionList.as_view(), name="election-list"),
    path("elections/<int:pk>/", api.ElectionDetail.as_view(), name="election-detail"),
    path("pairs/", api.PairList.as_view(), name="pair-list"),
    path("pairs/<int:pk>/", api.PairDetail.as_view(), name="pair-detail"),
    path("stages/", api.StageList.as_view(), name="stage-list"),
    path("support/", api.SupportList.as_view(), name="support-list"),
    path("objections/", api.ObjectionCountList.as_view(), name="objection-list"),
    path("audit-checkpoints/", api.AuditCheckpointList.as_view(), name="audit-checkpoint-list"),
]
