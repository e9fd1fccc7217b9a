"""Queue again supporter uploads stuck QUEUED/RUNNING (a worker host lost, Redis restarted). Celery beat runs
the same sweep every 5 minutes (``support_uploads.requeue_stale``); this is the by-hand version."""

from django.core.management.base import BaseCommand

from support_uploads.tasks import upload_requeue_stale_task


class Command(BaseCommand):
    help = "Queue again supporter uploads left queued or running for longer than --minutes."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=None, help="default: SUPPORT_UPLOAD_STALE_MINUTES")

    def handle(self, *args, **options):
        ids = upload_requeue_stale_task(minutes=options["minutes"])
        self.stdout.write(f"requeued {len(ids)} upload(s): {', '.join(map(str, ids)) or '-'}")
