"""Queue again supporter uploads stuck QUEUED/RUNNING (e.g. a worker host lost). Run from cron or by hand."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from support_uploads.services import upload_requeue_stale


class Command(BaseCommand):
    help = "Queue again supporter uploads left queued or running for longer than --minutes."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=30)

    def handle(self, *args, **options):
        ids = upload_requeue_stale(older_than=timedelta(minutes=options["minutes"]))
        self.stdout.write(f"requeued {len(ids)} upload(s): {', '.join(map(str, ids)) or '-'}")
