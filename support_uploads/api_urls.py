from django.urls import path

from . import api, api_duplicates, api_receipts

app_name = "support_uploads_api"
urlpatterns = [
    path("template-spec/", api.TemplateSpecView.as_view(), name="template_spec"),
    path("pairs/<int:pair_id>/template/", api.PairTemplateView.as_view(), name="template"),
    path("pairs/<int:pair_id>/uploads/", api.PairUploadsView.as_view(), name="uploads"),
    path("pairs/<int:pair_id>/recap/", api.PairRecapView.as_view(), name="recap"),
    path("pairs/<int:pair_id>/duplicates/", api_duplicates.PairDuplicatesView.as_view(), name="duplicates"),
    path("pairs/<int:pair_id>/submit/", api.PairSubmitView.as_view(), name="submit"),
    path("uploads/<int:upload_id>/", api.UploadDetailView.as_view(), name="upload"),
    path("uploads/<int:upload_id>/rows/", api.UploadRowsView.as_view(), name="upload_rows"),
    path("uploads/<int:upload_id>/report/", api.UploadReportView.as_view(), name="upload_report"),
    path("uploads/<int:upload_id>/withdraw/", api.UploadWithdrawView.as_view(), name="withdraw"),
    path(
        "uploads/<int:upload_id>/receipt.pdf",
        api_receipts.ReceiptViewSet.as_view({"get": "pdf"}),
        name="upload_receipt",
    ),
    path("receipts/verify/", api_receipts.ReceiptViewSet.as_view({"post": "verify"}), name="receipt_verify"),
]
