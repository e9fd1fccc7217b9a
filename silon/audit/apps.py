from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "silon.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from . import tasks  # noqa: F401  (registered with the Celery app: services queue them by name)
        from .db_roles import grant_after_migrate

        # once per migrate (this app's signal), after every app's migrations ran
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="audit-db-roles")
