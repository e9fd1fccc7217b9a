from django.urls import path

from . import views

app_name = "objections"
urlpatterns = [
    path("cek/", views.check, name="check"),
    path("ajukan/", views.objection_file, name="file"),
    path("status/", views.receipt, name="receipt"),
    path("antrean/", views.queue, name="queue"),
    path("<int:objection_id>/", views.detail, name="detail"),
    path("<int:objection_id>/putuskan/", views.decide, name="decide"),
    path("<int:objection_id>/foto-ktp/", views.photo, name="photo"),
    path("pasangan/<int:pair_id>/", views.pair_list, name="pair"),
]
