from django.core.management.base import BaseCommand, CommandError

from silon.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event {report.broken_at} after {report.checked} good events: {report.problem}"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))
