"""The chain becomes keyed (HMAC-SHA256 with AUDIT_HMAC_KEY, silon.audit.hashing).

Events already written keep chain version 1 (plain SHA-256): rewriting them would need UPDATE, which the
table refuses, and would erase what they prove. They are sealed instead: if any exist, this migration appends
one keyed event, ``audit.chain_keyed``, whose hash covers the last unkeyed event's hash. From then on every
event is keyed, and the verifier admits unkeyed events only as the prefix this event seals.
"""

from django.db import migrations, models
from django.utils import timezone

from silon.audit.hashing import CHAIN_KEYED, event_content, event_digest

CHAIN_LOCK_KEY = 7_410_466  # silon.audit.services._CHAIN_LOCK_KEY


def seal_unkeyed_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    events = AuditEvent.objects.using(connection.alias)
    last = events.order_by("-id").first()
    if last is None or last.chain_version == CHAIN_KEYED:
        return
    seal = AuditEvent(
        created_at=timezone.now(),
        actor=None,
        actor_username="",
        actor_role="",
        action="audit.chain_keyed",  # actions.AUDIT_CHAIN_KEYED
        object_type="audit.auditevent",
        object_id=str(last.id),
        object_repr="",
        region_code="",
        before=None,
        after={"unkeyed_events": events.count(), "last_unkeyed_id": last.id, "last_unkeyed_hash": last.hash},
        ip_address=None,
        chain_version=CHAIN_KEYED,
        prev_hash=last.hash,
    )
    seal.hash = event_digest(prev_hash=seal.prev_hash, content=event_content(seal))
    seal.save(using=connection.alias, force_insert=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        # existing rows: version 1 (unkeyed); new rows: version 2
        migrations.AddField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.RunPython(seal_unkeyed_chain, migrations.RunPython.noop),
    ]
