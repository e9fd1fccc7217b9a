"""Which of the project's tables a request changed, without reading every table after every request.

The write-refusal tests send hundreds of requests and must show that each refused one changed no row of any
project table. Comparing every row of every table after each request made that one test take minutes. Here the
database says which tables were written to since the last look: on SQLite, temporary triggers on each table
note its name on every insert, update or delete; on PostgreSQL, ``pg_stat_xact_user_tables`` counts the rows
the current transaction inserted, updated and deleted. The rows of only those tables are then read again and
compared with the copy kept from before, so an update that leaves every value as it was (a login's
``last_login`` aside) is still no change, exactly as with a full comparison. Any other database falls back to
reading every table.
"""

from django.apps import apps
from django.db import connection

IGNORED_COLUMNS = {"last_login"}  # a login, not a write by the request under test


def _rows(model) -> list[str]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED_COLUMNS]
    return sorted(map(repr, model._default_manager.order_by().values_list(*fields)))


class TableWatch:
    """``changed()``: the labels of the models whose rows differ from the last look (and remembers them)."""

    def __init__(self, app_labels: tuple[str, ...]):
        self.models = {
            model._meta.db_table: model for label in app_labels for model in apps.get_app_config(label).get_models()
        }
        self.rows = {table: _rows(model) for table, model in self.models.items()}
        if connection.vendor == "sqlite":
            self._install_sqlite_triggers()
        self.mark = self._counts()

    def changed(self) -> list[str]:
        touched = self._touched()
        changed = []
        for table in touched:
            now = _rows(self.models[table])
            if now != self.rows[table]:
                changed.append(self.models[table]._meta.label)
                self.rows[table] = now
        return sorted(changed)

    def reread(self, labels: list[str]) -> None:
        """Read these models' rows again without reporting them: after a savepoint that changed them was
        rolled back (on SQLite the triggers' notes are rolled back with it)."""
        for table, model in self.models.items():
            if model._meta.label in labels:
                self.rows[table] = _rows(model)
        self.mark = self._counts()

    # which tables were written to since the last look

    def _touched(self) -> list[str]:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT DISTINCT tbl FROM temp._silon_touched")
                touched = [row[0] for row in cursor.fetchall()]
                cursor.execute("DELETE FROM temp._silon_touched")
            return touched
        if connection.vendor == "postgresql":
            counts = self._counts()
            touched = [t for t, n in counts.items() if n != self.mark.get(t)]
            self.mark = counts
            return touched
        return list(self.models)

    def _counts(self) -> dict[str, int]:
        if connection.vendor != "postgresql":
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname = ANY(%s)",
                [list(self.models)],
            )
            return dict(cursor.fetchall())

    def _install_sqlite_triggers(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS _silon_touched (tbl TEXT NOT NULL)")
            for table in self.models:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = connection.ops.quote_name(f"_silon_watch_{event.lower()}_{table}")
                    # names from the models' own metadata, quoted: no outside input reaches this statement
                    target = "main." + connection.ops.quote_name(table)
                    action = "".join(["INSERT INTO _silon_touched (tbl) VALUES (", _literal(table), ")"])
                    statement = " ".join(
                        ["CREATE TEMP TRIGGER", name, "AFTER", event, "ON", target, "BEGIN", action, "; END"]
                    )
                    cursor.execute("DROP TRIGGER IF EXISTS temp." + name)
                    cursor.execute(statement)


def _literal(text: str) -> str:
    """A SQL string literal (SQLite triggers take no parameters)."""
    return "'" + text.replace("'", "''") + "'"
