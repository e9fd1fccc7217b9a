"""Demo step (after ``candidacy.demo``): the independent pair's team and its two LO accounts, the same for the
DPD candidate (issue #20), and a small sample upload of each when its support window is open. Idempotent."""

from django.core.files.uploadedfile import SimpleUploadedFile

from candidacy.services import StageClosedError
from regions.models import Level, Region
from silon.accounts.demo import DEMO_PASSWORD

from .models import LoAccount, PairTeam, Upload
from .sample_data import sample_row
from .services import lo_account_issue, pair_team_register, upload_create
from .template_spec import spec_for

DEMO_PDF = b"%PDF-1.4\n% SILON demo mandate letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LO_USERNAMES = ("lo-perseorangan-1", "lo-perseorangan-2")
DPD_LO_USERNAMES = ("lo-dpd-1", "lo-dpd-2")
SAMPLE_ROWS = 200


def _sample_csv(pair) -> bytes:
    spec = spec_for(pair.election)  # the DPD candidate's has no No. KK and no No. HP
    villages = list(
        Region.objects.filter(
            version_id=pair.election.region_version_id,
            level=Level.VILLAGE,
            code__startswith=pair.election.region_code + ".",
        )
        .order_by("code")
        .values_list("code", flat=True)
    )
    step = max(1, len(villages) // SAMPLE_ROWS)
    lines = [",".join(spec.headers)]
    for i in range(SAMPLE_ROWS):
        row = sample_row(i, villages[(i * step) % len(villages)])
        if i % 25 == 7:
            row["rt"] = "12A"  # a few bad rows so the demo shows the error report
        lines.append(",".join(row[f.key] for f in spec.fields))
    return ("\n".join(lines) + "\n").encode()


def build(*, ctx: dict, stdout) -> None:
    pair = ctx.get("independent_pair")
    if pair is None:
        stdout.write("support_uploads.demo: no independent demo pair (candidacy.demo skipped); nothing to do.")
        return
    _team(ctx, pair, LO_USERNAMES, "LO %(n)s pasangan calon perseorangan (demo)", stdout)
    if ctx.get("dpd_candidate") is not None:
        _team(ctx, ctx["dpd_candidate"], DPD_LO_USERNAMES, "LO %(n)s calon DPD (demo)", stdout)


def _team(ctx: dict, pair, usernames: tuple[str, ...], label: str, stdout) -> None:
    """The candidacy's team, its LO accounts and a sample upload (when the support window is open)."""
    actor = ctx["users"]["kpu-ntb"]
    if not PairTeam.objects.filter(pair=pair).exists():
        pair_team_register(
            actor=actor,
            pair=pair,
            mandate_letter=SimpleUploadedFile("surat-mandat.pdf", DEMO_PDF, content_type="application/pdf"),
            contact_name="Tim Pemenangan Perseorangan (demo)",
        )
    users = []
    for number, username in enumerate(usernames, start=1):
        account = LoAccount.objects.filter(user__username=username).select_related("user").first()
        if account is None:
            # a fixed, published password: must_change_password stays False for the demo only
            account, _password = lo_account_issue(actor=actor, pair=pair, username=username, password=DEMO_PASSWORD)
        users.append(account.user)
        ctx.setdefault("accounts", []).append((username, DEMO_PASSWORD, label % {"n": number}))
    if (
        not Upload.objects.filter(pair=pair).exists()
        and Region.objects.filter(version_id=pair.election.region_version_id, level=Level.VILLAGE).exists()
    ):
        try:
            upload_create(
                actor=users[0],
                pair=pair,
                file=SimpleUploadedFile("contoh-dukungan.csv", _sample_csv(pair)),
                max_bytes=10 * 1024 * 1024,
            )
            stdout.write(f"support_uploads.demo: sample upload of {SAMPLE_ROWS} rows queued for {pair}.")
        except StageClosedError as exc:
            stdout.write(f"support_uploads.demo: sample upload skipped ({' '.join(exc.messages)}).")
