"""Load the demo: region master data, the NTB governor election with a party-backed and an independent
pair, and one account per role. Idempotent: running it again changes nothing and prints the accounts."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app contributes its part, in dependency order; each ``build`` is idempotent.
DEMO_STEPS = ["regions.demo", "silon.accounts.demo", "candidacy.demo", "support_uploads.demo"]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Load demo accounts with DEBUG off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo accounts have published passwords: refusing with DEBUG=false.")
        ctx: dict = {}
        for module_name in DEMO_STEPS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            with transaction.atomic():
                module.build(ctx=ctx, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("\nDemo accounts (username / password — role):"))
        for username, password, description in ctx.get("accounts", []):
            self.stdout.write(f"  {username:<16} {password:<18} {description}")
        self.stdout.write("\nPortal: http://127.0.0.1:8000/   Login: http://127.0.0.1:8000/akun/masuk/")
