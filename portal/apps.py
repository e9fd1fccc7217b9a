from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public portal: reads across every app through their selectors and owns no tables."""

    name = "portal"
    verbose_name = "Portal publik"

    def ready(self):
        from . import signals

        signals.connect()
