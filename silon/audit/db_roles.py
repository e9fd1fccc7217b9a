"""The PostgreSQL role the application runs as: it owns nothing, reads and writes the application's tables,
and may only INSERT and SELECT on the audit tables.

The owner of the tables (the role ``migrate`` runs as) grants these privileges; ``app_role_grant`` is
idempotent, so it runs at the end of every ``migrate`` when ``DATABASE_APP_ROLE`` is set (post_migrate, see
``apps``), and by hand as ``manage.py db_roles``. Default privileges make tables created by later migrations
readable and writable by the application at once; the grant that follows each ``migrate`` takes UPDATE and
DELETE back from any new append-only table.

What the application role cannot do: UPDATE, DELETE or TRUNCATE an audit event or checkpoint; TRUNCATE any
table; create, drop, disable or alter a trigger or a table (it owns none and has no TRIGGER privilege or CREATE
on the schema); set ``session_replication_role`` (superuser only); add rows to ``django_migrations``.
"""

import re

from django.db import connections

# Tables the application may only add to and read (the audit trail), and only read.
APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")
READ_ONLY_TABLES = ("django_migrations",)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
ROLE_OPTIONS = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"


class RoleError(Exception):
    pass


def app_role_grant(*, role: str, password: str = "", using: str = "default") -> list[str]:
    """Create ``role`` if missing (with ``password``) and give it exactly the application's privileges on the
    database of connection ``using``, run as that connection's user (the owner). Returns the statements run
    (the password left out)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("database roles exist on PostgreSQL only")
    if not ROLE_NAME.match(role):
        raise RoleError(f"{role!r} is not a plain role name (lower-case letters, digits, _)")
    q = connection.ops.quote_name
    done: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if role == owner:
            raise RoleError(f"the application role must not be the owner ({owner}) that runs migrations")

        def run(sql: str, params: list | None = None, shown: str | None = None) -> None:
            cursor.execute(sql, params)
            done.append(shown or sql)

        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        verb = "ALTER" if cursor.fetchone() else "CREATE"
        if password:
            run(
                f"{verb} ROLE {q(role)} {ROLE_OPTIONS} PASSWORD %s",
                [password],
                f"{verb} ROLE {role} {ROLE_OPTIONS} PASSWORD …",
            )
        else:
            run(f"{verb} ROLE {q(role)} {ROLE_OPTIONS}")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s", [role]
        )
        if cursor.fetchone()[0]:
            raise RoleError(
                f"{role} owns tables or sequences; it must own nothing (REASSIGN OWNED BY {role} TO {owner})"
            )
        run(f"GRANT CONNECT, TEMPORARY ON DATABASE {q(database)} TO {q(role)}")
        run(f"REVOKE ALL ON SCHEMA {q(schema)} FROM {q(role)}")
        run(f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(role)}")
        run(f"REVOKE ALL ON ALL TABLES IN SCHEMA {q(schema)} FROM {q(role)}")
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q(schema)} TO {q(role)}")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
            [schema, list(APPEND_ONLY_TABLES + READ_ONLY_TABLES)],
        )
        for (table,) in cursor.fetchall():
            kept = "UPDATE, DELETE" if table in APPEND_ONLY_TABLES else "INSERT, UPDATE, DELETE"
            run(f"REVOKE {kept} ON {q(schema)}.{q(table)} FROM {q(role)}")
        run(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {q(schema)} FROM {q(role)}")
        run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(role)}")
        default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA {q(schema)}"
        run(f"{default} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(role)}")
        run(f"{default} GRANT USAGE, SELECT ON SEQUENCES TO {q(role)}")
    return done


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: when ``DATABASE_APP_ROLE`` is set, (re)grant it after every ``migrate`` on PostgreSQL."""
    from django.conf import settings

    if settings.DATABASE_APP_ROLE and connections[using].vendor == "postgresql":
        app_role_grant(role=settings.DATABASE_APP_ROLE, password=settings.DATABASE_APP_PASSWORD, using=using)
