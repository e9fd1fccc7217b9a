from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silon.audit.db_roles import RoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "As the owner of the tables: create the application's PostgreSQL role if missing and grant it exactly its "
        "privileges (DML on the application's tables, only INSERT and SELECT on the audit tables, no TRUNCATE, "
        "nothing owned). Idempotent; `migrate` does the same at its end when DATABASE_APP_ROLE is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default=settings.DATABASE_APP_ROLE, help="default: DATABASE_APP_ROLE")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        role = options["app_role"]
        if not role:
            raise CommandError("name the application role: --app-role silon_app (or set DATABASE_APP_ROLE)")
        try:
            statements = app_role_grant(role=role, password=settings.DATABASE_APP_PASSWORD, using=options["database"])
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        for statement in statements:
            self.stdout.write(statement)
        self.stdout.write(self.style.SUCCESS(f"Role {role}: privileges granted."))
