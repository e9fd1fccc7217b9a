from django.urls import path

from . import views, views_dpt, views_duplicates, views_receipts

app_name = "support_uploads"
urlpatterns = [
    path("", views.index, name="index"),
    path("pasangan/<int:pair_id>/", views.pair_detail, name="pair"),
    path("pasangan/<int:pair_id>/templat.xlsx", views.pair_template, name="template"),
    path("pasangan/<int:pair_id>/unggah/", views.upload_post, name="upload_post"),
    path("pasangan/<int:pair_id>/serahkan/", views.pair_submit, name="submit"),
    path("pasangan/<int:pair_id>/tim/", views.team_register, name="team"),
    path("pasangan/<int:pair_id>/lo/terbitkan/", views.lo_issue, name="lo_issue"),
    path("pasangan/<int:pair_id>/lo/diterbitkan/", views.lo_issued, name="lo_issued"),
    path("lo/<int:account_id>/cabut/", views.lo_revoke, name="lo_revoke"),
    path("pasangan/<int:pair_id>/potensi-ganda/", views_duplicates.duplicates, name="duplicates"),
    path("pasangan/<int:pair_id>/potensi-ganda/putuskan/", views_duplicates.duplicate_decide, name="duplicate_decide"),
    path("unggahan/<int:upload_id>/", views.upload_detail, name="upload"),
    path("unggahan/<int:upload_id>/progres/", views.upload_progress, name="upload_progress"),
    path("unggahan/<int:upload_id>/laporan.xlsx", views.upload_report, name="upload_report"),
    path("unggahan/<int:upload_id>/tarik/", views.upload_withdraw_view, name="upload_withdraw"),
    path("unggahan/<int:upload_id>/periksa-ulang/", views.upload_retry_view, name="upload_retry"),
    path("unggahan/<int:upload_id>/tanda-terima.pdf", views_receipts.upload_receipt, name="upload_receipt"),
    path("tanda-terima/periksa/", views_receipts.receipt_verify_page, name="receipt_verify"),
    path("pendukung/<int:supporter_id>/", views.supporter_detail, name="supporter"),
    path("pasangan/<int:pair_id>/ktp/", views.scan_upload, name="scan_upload"),
    path("ktp/<int:scan_id>/", views.scan_download, name="scan"),
    path("pemilihan/<int:election_id>/dpt/", views_dpt.dpt_page, name="dpt"),
    path("pemilihan/<int:election_id>/dpt/progres/", views_dpt.dpt_progress, name="dpt_progress"),
]
