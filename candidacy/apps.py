from django.apps import AppConfig


class CandidacyConfig(AppConfig):
    name = "candidacy"
    verbose_name = "Pencalonan"

    def ready(self):
        from silon.audit.checkpoints import register_closing_source

        from .schedule import stages_closed_between

        # a stage's close is a moment in its schedule: the checkpoint task signs the chain head after it
        register_closing_source(stages_closed_between)
        from . import tasks  # noqa: F401 (registers the tasks with the Celery app)
