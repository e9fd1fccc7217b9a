from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DashboardConfig(AppConfig):
    """Each role's landing page, assembled from the panels the apps register (``dashboard.panels``)."""

    name = "dashboard"
    verbose_name = "Dasbor"

    def ready(self) -> None:
        # Like the admin's admin.py: every installed app's ``panels`` module, if it has one, registers its
        # panels on import. The dashboard itself imports no app.
        autodiscover_modules("panels")
