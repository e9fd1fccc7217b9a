from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("", views.index, name="index"),
    path("pasangan/<int:pair_id>/", views.pair_rounds, name="pair"),
    path("pasangan/<int:pair_id>/perbaikan/", views.correction_submit, name="correction"),
    path("putaran/<int:round_id>/", views.round_detail, name="round"),
    path("putaran/<int:round_id>/tandai/", views.results_mark, name="mark"),
    path("putaran/<int:round_id>/batal/", views.results_undo, name="undo"),
    path("putaran/<int:round_id>/ganda/", views.duplicate_resolve, name="duplicate"),
    path("putaran/<int:round_id>/potensi-ganda/", views.duplicates, name="duplicates"),
    path("putaran/<int:round_id>/potensi-ganda/", views.duplicates, name="duplicates"),
    path("putaran/<int:round_id>/cari/", views.round_search_view, name="search"),
    path("putaran/<int:round_id>/tandai-kecamatan/", views.results_mark_area, name="mark_area"),
    path("putaran/<int:round_id>/hasil-tim/", views.team_results_view, name="team_results"),
    path("putaran/<int:round_id>/hasil-tim/unduh/", views.team_results_download, name="team_download"),
    path("putaran/<int:round_id>/sampel/", views.sample_view, name="sample"),
    path("putaran/<int:round_id>/sampel/unduh/", views.sample_download, name="sample_download"),
    path("putaran/<int:round_id>/tutup/", views.round_close, name="close"),
    path("putaran/<int:round_id>/kunjungan/<int:supporter_id>/", views.visit_record, name="visit"),
    path("putaran/<int:round_id>/kunjungan/<int:supporter_id>/batal/", views.visit_undo, name="visit_undo"),
    path("putaran/<int:round_id>/rekap/", views.round_progress_view, name="progress"),
    path("putaran/<int:round_id>/dokumen/", views.document_request, name="document_request"),
    path("putaran/<int:round_id>/pendukung/<int:supporter_id>/", views.supporter_history_view, name="history"),
    path("putaran/<int:round_id>/ganda-eksternal/", views.external_choose, name="external"),
    path("dokumen/<int:document_id>/", views.document_download, name="document"),
    path("dokumen/<int:document_id>/progres/", views.document_progress, name="document_progress"),
    path("dokumen/periksa/", views.document_check, name="document_check"),
    path("cek-dokumen/", views.document_verify, name="document_verify"),
]
