from django.urls import path

from . import api

app_name = "support_uploads_api"
urlpatterns = [
    path("template-spec/", api.template_spec, name="template_spec"),
    path("pairs/<int:pair_id>/template/", api.pair_template, name="template"),
    path("pairs/<int:pair_id>/uploads/", api.pair_uploads, name="uploads"),
    path("pairs/<int:pair_id>/recap/", api.pair_recap, name="recap"),
    path("pairs/<int:pair_id>/submit/", api.pair_submit, name="submit"),
    path("uploads/<int:upload_id>/", api.upload_detail, name="upload"),
    path("uploads/<int:upload_id>/rows/", api.upload_rows_list, name="upload_rows"),
    path("uploads/<int:upload_id>/report/", api.upload_report, name="upload_report"),
    path("uploads/<int:upload_id>/withdraw/", api.upload_withdraw_api, name="withdraw"),
]
