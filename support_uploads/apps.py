from django.apps import AppConfig


class SupportUploadsConfig(AppConfig):
    name = "support_uploads"
    verbose_name = "Dukungan perseorangan"

    def ready(self) -> None:
        # the tasks register with the Celery app in every process, so that services queue them by name
        from . import tasks  # noqa: F401
