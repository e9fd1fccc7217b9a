"""The support API's routes, each bound to its viewset action by hand: a router would rename them, and
these paths and names are what clients, the OpenAPI schema and the permission matrix know."""

from django.urls import path

from . import api, api_duplicates, api_receipts, api_resumable

app_name = "support_uploads_api"
urlpatterns = [
    path("template-spec/", api.TemplateSpecViewSet.as_view({"get": "retrieve"}), name="template_spec"),
    path("pairs/<int:pair_id>/template/", api.PairSupportViewSet.as_view({"get": "template"}), name="template"),
    path(
        "pairs/<int:pair_id>/uploads/",
        api.PairUploadViewSet.as_view({"get": "list", "post": "create"}),
        name="uploads",
    ),
    path("pairs/<int:pair_id>/recap/", api.PairSupportViewSet.as_view({"get": "recap"}), name="recap"),
    path(
        "pairs/<int:pair_id>/duplicates/",
        api_duplicates.PairDuplicateViewSet.as_view({"get": "duplicates", "post": "decide"}),
        name="duplicates",
    ),
    path("pairs/<int:pair_id>/submit/", api.PairSupportViewSet.as_view({"post": "submit"}), name="submit"),
    path("uploads/<int:upload_id>/", api.UploadViewSet.as_view({"get": "retrieve"}), name="upload"),
    path("uploads/<int:upload_id>/rows/", api.UploadViewSet.as_view({"get": "rows"}), name="upload_rows"),
    path("uploads/<int:upload_id>/report/", api.UploadViewSet.as_view({"get": "report"}), name="upload_report"),
    path("uploads/<int:upload_id>/withdraw/", api.UploadViewSet.as_view({"post": "withdraw"}), name="withdraw"),
    path(
        "uploads/<int:upload_id>/receipt.pdf",
        api_receipts.ReceiptViewSet.as_view({"get": "pdf"}),
        name="upload_receipt",
    ),
    # resumable uploads (tus 1.0.0, issue #18)
    path(
        "pairs/<int:pair_id>/resumable/",
        api_resumable.PairResumableViewSet.as_view({"post": "create", "options": "options"}),
        name="resumable_uploads",
    ),
    path(
        "resumable/<uuid:resumable_id>/",
        api_resumable.ResumableViewSet.as_view(
            {"head": "offset", "patch": "append", "delete": "destroy", "options": "options"}
        ),
        name="resumable_upload",
    ),
    path("receipts/verify/", api_receipts.ReceiptViewSet.as_view({"post": "verify"}), name="receipt_verify"),
]
