from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "silon.audit"
    label = "audit"
    verbose_name = "Audit log"
