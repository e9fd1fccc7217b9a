from django.urls import path

from . import views
from .views import outages

app_name = "candidacy"
urlpatterns = [
    path("", views.election_list_view, name="election_list"),
    path("unduh.<str:fmt>", views.election_list_export_view, name="election_list_export"),
    path("baru/", views.election_create_view, name="election_create"),
    path("<int:pk>/", views.election_detail_view, name="election_detail"),
    path("<int:pk>/ubah/", views.election_update_view, name="election_update"),
    path("<int:pk>/tahapan/", views.stage_set_view, name="stage_set"),
    path("<int:pk>/tahapan/jadwal-baku/", views.schedule_apply_view, name="schedule_apply"),
    path("<int:pk>/perpanjangan/", views.extension_grant_view, name="extension_grant"),
    path("<int:pk>/dpt-wilayah/", views.area_dpt_import_view, name="area_dpt_import"),
    path("<int:pk>/perolehan-partai/", views.party_results_view, name="party_results"),
    path("<int:pk>/paslon/baru/", views.pair_create_view, name="pair_create"),
    path("paslon/", views.pair_list_view, name="pair_list"),
    path("paslon/unduh.<str:fmt>", views.pair_list_export_view, name="pair_list_export"),
    path("paslon/<int:pk>/", views.pair_detail_view, name="pair_detail"),
    path("paslon/<int:pk>/ubah/", views.pair_rename_view, name="pair_rename"),
    path("paslon/<int:pk>/partai/", views.nomination_view, name="nomination"),
    path("paslon/<int:pk>/calon/<slug:role>/", views.candidate_set_view, name="candidate_set"),
    path("paslon/<int:pk>/calon/<slug:role>/lihat/", views.candidate_detail_view, name="candidate_detail"),
    path("paslon/<int:pk>/calon/<slug:role>/foto/", views.candidate_photo_view, name="candidate_photo"),
    path("paslon/<int:pk>/dokumen/", views.documents_view, name="documents"),
    path("paslon/<int:pk>/status/", views.pair_transition_view, name="pair_transition"),
    path("paslon/<int:pk>/admin-partai/", views.party_admin_issue_view, name="party_admin_issue"),
    path("paslon/<int:pk>/admin-partai/diterbitkan/", views.party_admin_issued_view, name="party_admin_issued"),
    path("paslon/<int:pk>/admin-partai/cabut/", views.party_admin_revoke_view, name="party_admin_revoke"),
    path("paslon/<int:pk>/konfirmasi/", views.pair_confirm_view, name="pair_confirm"),
    path("gangguan/", outages.outage_list_view, name="outages"),
    path("gangguan/<int:pk>/putuskan/", outages.outage_decide_view, name="outage_decide"),
    path("paslon/<int:pk>/tanggapan/", views.response_submit_view, name="response_submit"),
    path("tanggapan/", views.response_list_view, name="response_list"),
    path("tanggapan/<int:pk>/", views.response_detail_view, name="response_detail"),
    path("tanggapan/<int:pk>/klarifikasi/", views.response_clarify_view, name="response_clarify"),
    path("tanggapan/<int:pk>/putusan/", views.response_decide_view, name="response_decide"),
    path("tanggapan/<int:pk>/bukti/", views.response_evidence_view, name="response_evidence"),
    path("dokumen/<int:pk>/", views.document_download_view, name="document_download"),
    path("dokumen/<int:pk>/periksa/", views.document_check_view, name="document_check"),
]
