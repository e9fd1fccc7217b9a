"""The public self-check (docs/domain.md §9.2): is this NIK, with this name, listed as a supporter?

The answer covers every election *open to support*: one whose polling day has not passed
(``open_elections``). For each it says whether the NIK and name are listed and for which pair, with the
file's upload date and the row's status in plain words. Nothing else leaves: no listed name, no other NIK, no
address. A NIK listed under another name answers exactly like a NIK not listed.

The same queries run whether or not the NIK is listed (one for the elections, one for the rows with their pairs
and files, one insert of the check, one bulk insert of one result per election, the audit event), so neither
the answer's shape nor its time tells a listed NIK from one that is not (``tests/objections/test_timing.py``).
"""

from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidacy.models import Election
from candidacy.nik import NikError, parse_nik
from silon.audit import actions
from silon.audit.services import audit_record
from support_uploads.models import RowStatus, Supporter, UploadStatus

from ..hashing import nik_hash
from ..matching import names_match
from ..models import PublicCheck, PublicCheckMatch

# the row's status in the words the public reads (its reasons stay with the pair and KPU)
PLAIN_STATUS = {
    RowStatus.ACCEPTED.value: ("counted", gettext_lazy("Dihitung sebagai dukungan")),
    RowStatus.FLAGGED.value: ("counted", gettext_lazy("Dihitung sebagai dukungan")),
    RowStatus.REVIEW.value: ("in_review", gettext_lazy("Sedang diperiksa KPU")),
    RowStatus.REJECTED.value: ("tms", gettext_lazy("TMS (tidak dihitung)")),
}
ENTRY_SALT = "objections.entry"
ENTRY_MAX_AGE = 3600  # seconds a positive answer may be turned into an objection


@dataclass
class ElectionAnswer:
    election_id: int
    election_name: str
    region_name: str
    entries: list[dict] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        return bool(self.entries)


@dataclass
class CheckAnswer:
    elections: list[ElectionAnswer]


def open_elections():
    """Elections open to support: their polling day has not passed (today counts)."""
    return Election.objects.filter(polling_day__gte=timezone.localdate()).order_by("polling_day", "pk")


def require_nik(nik: str) -> str:
    try:
        parse_nik(nik)
    except NikError as exc:
        raise ValidationError({"nik": str(exc)}) from exc
    return nik.strip()


def entry_token(supporter_id: int, hashed: str, name: str) -> str:
    """What the person sends back to object to one listing: signed, valid ``ENTRY_MAX_AGE`` seconds."""
    return signing.dumps({"s": supporter_id, "h": hashed, "n": name[:200]}, salt=ENTRY_SALT, compress=True)


def entry_read(token: str) -> dict:
    try:
        return signing.loads(token, salt=ENTRY_SALT, max_age=ENTRY_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("Hasil cek sudah kedaluwarsa. Cek kembali NIK Anda, lalu ajukan keberatan.")) from exc


def _rows(election_ids: list[int], nik: str) -> list[dict]:
    """The rows of current (DONE) files listing ``nik`` in these elections, with their pair and file."""
    return list(
        Supporter.objects.filter(election_id__in=election_ids, nik=nik, upload__status=UploadStatus.DONE)
        .order_by("upload__created_at", "pk")
        .values("pk", "election_id", "pair_id", "pair__name", "upload__created_at", "name", "status")
    )


def _entries(rows: list[dict], name: str, hashed: str) -> dict[int, list[dict]]:
    """Per election, one entry per pair whose row lists the NIK under ``name`` (its latest file's row)."""
    by_pair: dict[tuple[int, int], dict] = {}
    for row in rows:
        if names_match(name, row["name"]):
            by_pair[(row["election_id"], row["pair_id"])] = row  # the latest file wins
    entries: dict[int, list[dict]] = {}
    for (election_id, pair_id), row in sorted(by_pair.items()):
        status, label = PLAIN_STATUS[row["status"]]
        entries.setdefault(election_id, []).append(
            {
                "pair_id": pair_id,
                "pair_name": row["pair__name"],
                "uploaded_on": timezone.localdate(row["upload__created_at"]),
                "status": status,
                "status_label": str(label),
                "token": entry_token(row["pk"], hashed, name),
            }
        )
    return entries


@transaction.atomic
def public_check_run(*, nik: str, name: str) -> CheckAnswer:
    """Answer one check and record it (the keyed hash, never the NIK). The challenge and the rate limits are
    spent by the caller before this runs."""
    nik = require_nik(nik)
    if not name.strip():
        raise ValidationError({"name": _("Isi nama sesuai KTP.")})
    hashed = nik_hash(nik)
    elections = list(open_elections().values("pk", "name", "region_name"))
    entries = _entries(_rows([e["pk"] for e in elections], nik), name, hashed)
    answers = [ElectionAnswer(e["pk"], e["name"], e["region_name"], entries.get(e["pk"], [])) for e in elections]
    found = sum(len(a.entries) for a in answers)
    check = PublicCheck.objects.create(checked_at=timezone.now(), nik_hash=hashed, matches=found)
    # one result row per election asked about (the pair, or none), so a listed NIK costs the same inserts
    results = [
        PublicCheckMatch(check_run=check, election_id=a.election_id, pair_id=entry["pair_id"] if a.listed else None)
        for a in answers
        for entry in (a.entries or [None])
    ]
    PublicCheckMatch.objects.bulk_create(results)
    audit_record(
        actor=None,
        action=actions.OBJECTION_CHECK,
        obj=check,
        after={"nik_hash": hashed, "elections": len(answers), "matches": found},
    )
    return CheckAnswer(answers)
