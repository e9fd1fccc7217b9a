from django.contrib import admin
from django.urls import include, path
from django.views import debug
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("", include("portal.root_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("akun/", include("dashboard.urls")),
    path("akun/", include("silon.accounts.urls")),
    path("audit/", include("silon.audit.urls")),
    path("wilayah/", include("regions.urls")),
    path("pemilihan/", include("candidacy.urls")),
    path("dukungan/verifikasi/", include("verification.urls")),
    path("dukungan/", include("support_uploads.urls")),
    path("publik/", include("portal.urls")),
    path("keberatan/", include("objections.urls")),
    path("api/regions/", include("regions.api_urls")),
    path("api/candidacy/", include("candidacy.api_urls")),
    path("api/support/", include("support_uploads.api_urls")),
    path("api/support/", include("verification.api_urls")),
    path("api/public/", include("portal.api_urls")),
    path("api/objections/", include("objections.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Uploaded files (mandate letters, supporter files) are never served as media: each download goes through
# a view that checks the user's reach and writes an audit event.

handler400 = "silon.views.bad_request"
handler403 = "silon.views.permission_denied"
handler404 = "silon.views.page_not_found"
handler500 = "silon.views.server_error"

# DEBUG's technical 404 page lists every URL pattern: the project's 404 answers instead, in DEBUG too.
debug.technical_404_response = views.debug_page_not_found
