from django.apps import AppConfig


class SupportUploadsConfig(AppConfig):
    name = "support_uploads"
    verbose_name = "Dukungan perseorangan"
