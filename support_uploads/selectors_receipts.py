"""The receipt check (issue #18): is a pasted receipt (or the text of its PDF) one this installation signed,
unchanged, and which upload does it name? Validity needs the receipt alone (``receipts.receipt_check``); the
upload is named only when it lies in the reader's reach (else 'valid' is all they learn, which the receipt
itself already says), and it must still carry the same digest, size and time."""

from dataclasses import dataclass

from silon.accounts.models import User
from silon.audit.keys import utc_text

from .models import Upload
from .receipts import ReceiptCheck, pdf_text, receipt_check
from .selectors import pairs_for_user


@dataclass(frozen=True)
class ReceiptVerdict:
    check: ReceiptCheck
    upload: Upload | None = None
    # the named upload's stored digest, size and receipt time are those of the receipt
    matches: bool = False

    @property
    def valid(self) -> bool:
        return self.check.valid


def receipt_verify(*, actor: User, text: str = "", pdf: bytes = b"") -> ReceiptVerdict:
    """Check a receipt's text block, or the text extracted from its PDF when ``pdf`` is given."""
    check = receipt_check(pdf_text(pdf) if pdf else text)
    if not check.valid:
        return ReceiptVerdict(check=check)
    fields = check.fields
    upload = (
        Upload.objects.select_related("pair", "election")
        .filter(pk=fields["upload"], pair__in=pairs_for_user(actor))
        .first()
    )
    if upload is None:
        return ReceiptVerdict(check=check)
    matches = (
        upload.sha256 == fields["sha256"]
        and upload.size == fields["size"]
        and upload.pair_id == fields["pair"]
        and upload.received_at is not None
        and utc_text(upload.received_at) == fields["received_at"]
    )
    return ReceiptVerdict(check=check, upload=upload, matches=matches)
