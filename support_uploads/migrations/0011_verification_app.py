"""The verification rounds become an app of their own (``verification``). Their tables stay where they are:
this migration only forgets the models in support_uploads' state; ``verification.0001_initial`` takes them over
(state only, over the same tables) and ``verification.0002_rename_tables`` renames the tables. No row moves."""

from django.db import migrations

# models that reference others among them go first, so the state never holds a dangling reference
MOVED = [
    "VerificationResult",
    "VerificationDocument",
    "VerificationRound",
    "ExternalChoice",
    "CorrectionSubmission",
    "PairOutcome",
]


class Migration(migrations.Migration):
    dependencies = [("support_uploads", "0010_document_progress")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
            database_operations=[],
        )
    ]
