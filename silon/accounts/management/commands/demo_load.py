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
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="the address the portal is served at, as given to runserver (`make run HOST=...`): printed",
        )

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
        base = portal_url(options["address"])
        self.stdout.write(f"\nPortal: {base}/   Login: {base}/akun/masuk/")


def portal_url(address: str) -> str:
    """The URL a browser on this machine opens for a runserver ``address`` (``8080``, ``0.0.0.0:8080``,
    ``[::1]:8000``, ``192.168.1.5:8000``): runserver's own defaults, and a wildcard host read as this host."""
    address = address.strip()
    if address.isdigit():
        host, port = "127.0.0.1", address
    else:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            host, port = address, "8000"
    if host in ("0.0.0.0", "0", ""):  # noqa: S104 (only a name for "every interface", never bound here)
        host = "127.0.0.1"
    elif host in ("[::]", "::"):
        host = "[::1]"
    return f"http://{host}:{port}"
