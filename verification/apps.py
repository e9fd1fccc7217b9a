from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Verifikasi dukungan"

    def ready(self) -> None:
        # support_uploads asks, without importing this app, whether a pair handed in its correction batch and
        # what the correction panel of its pair page shows
        from support_uploads.hooks import correction_hooks_register

        from . import tasks  # noqa: F401  (registered with the Celery app: services queue them by name)
        from .selectors_correction import correction_overview, correction_submitted

        correction_hooks_register(
            submitted=lambda pair: correction_submitted(pair=pair),
            overview=lambda pair: correction_overview(pair=pair),
        )
