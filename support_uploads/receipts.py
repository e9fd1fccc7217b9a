"""Upload receipts (issue #18, docs/domain.md §9.4): the moment a file's last byte is stored, the team gets a
signed statement of what arrived and when: file name, size, SHA-256, the server's time, the election and the
pair. The signature is Ed25519 with the installation's signing key (``AUDIT_SIGNING_KEY``, the key that signs
the audit checkpoints, whose public half is published with them), so an operator or Bawaslu can check a
receipt from its text alone. The receipt's time, not the end of the file's check, says whether the file came
before the deadline.

The receipt is a plain-text block of ``key: value`` lines, ASCII only (names are JSON strings), so it survives
copy and paste and a PDF's text extraction. The signature covers the canonical JSON of the fields.
Pure module: no database; the service stores the block on the upload, the verifier looks the upload up."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from silon.audit.keys import public_key_hex, sign, signature_valid, utc_text

RECEIPT_KIND = "silon-upload-receipt"
RECEIPT_FORMAT = 1
TITLE = "SILON - TANDA TERIMA BERKAS DUKUNGAN / UPLOAD RECEIPT"
FIELDS = ("format", "upload", "file", "size", "sha256", "received_at", "election", "election_name", "pair", "batch")
# values written as JSON strings (any language, kept ASCII); the others are plain
JSON_FIELDS = frozenset({"file", "election_name"})
INT_FIELDS = frozenset({"format", "upload", "size", "election", "pair"})
SIGNATURE_LINE = 64  # the 128 hex digits are split over two lines so a PDF line never wraps them


def file_sha256(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def receipt_fields(
    *, upload_id: int, name: str, size: int, sha256: str, received_at: datetime, election_id: int,
    election_name: str, pair_id: int, batch: str,
) -> dict:  # fmt: skip
    return {
        "format": RECEIPT_FORMAT,
        "upload": int(upload_id),
        "file": name,
        "size": int(size),
        "sha256": sha256,
        "received_at": utc_text(received_at),
        "election": int(election_id),
        "election_name": election_name,
        "pair": int(pair_id),
        "batch": batch,
    }


def receipt_message(fields: dict) -> bytes:
    """The exact bytes the signature covers: canonical JSON (sorted keys, no spaces, UTF-8)."""
    body = {"kind": RECEIPT_KIND, **{key: fields[key] for key in FIELDS}}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def receipt_text(fields: dict) -> str:
    """The signed text block, as shown on the upload page, returned by the API and printed in the PDF."""
    signature = sign(receipt_message(fields))
    lines = [TITLE]
    for key in FIELDS:
        value = fields[key]
        lines.append(f"{key}: {json.dumps(value) if key in JSON_FIELDS else value}")
    lines.append(f"key: {public_key_hex()}")
    for start in range(0, len(signature), SIGNATURE_LINE):
        lines.append(f"signature: {signature[start : start + SIGNATURE_LINE]}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ReceiptCheck:
    valid: bool
    fields: dict
    problem: str = ""  # a code: "unreadable", "signature", "key"


def _parse(text: str) -> tuple[dict, str, str] | None:
    values: dict[str, str] = {}
    signature = ""
    for raw in text.replace("\r", "\n").split("\n"):
        key, sep, value = raw.strip().partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            continue
        if key == "signature":
            signature += value
        elif key in FIELDS or key == "key":
            values.setdefault(key, value)
    if any(key not in values for key in FIELDS):
        return None
    fields: dict = {}
    try:
        for key in FIELDS:
            value = values[key]
            if key in JSON_FIELDS:
                value = json.loads(value)
                if not isinstance(value, str):
                    return None
            elif key in INT_FIELDS:
                value = int(value)
            fields[key] = value
    except ValueError:
        return None
    return fields, values.get("key", ""), signature


def receipt_check(text: str) -> ReceiptCheck:
    """Is ``text`` a receipt this installation signed, unchanged? Checked against this server's own public key
    (the ``key`` line is informative only: a receipt signed by another key is refused)."""
    parsed = _parse(text)
    if parsed is None:
        return ReceiptCheck(valid=False, fields={}, problem="unreadable")
    fields, key, signature = parsed
    own = public_key_hex()
    if key and key.lower() != own:
        return ReceiptCheck(valid=False, fields=fields, problem="key")
    if not signature_valid(message=receipt_message(fields), signature=signature, public_key=own):
        return ReceiptCheck(valid=False, fields=fields, problem="signature")
    return ReceiptCheck(valid=True, fields=fields)


def pdf_text(data: bytes) -> str:
    """The text of an uploaded receipt PDF (pypdf), for the verifier; empty when it is no readable PDF."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages[:3])
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return ""


def receipt_pdf(text: str, *, heading: str, note: str) -> bytes:
    """The receipt as a one-page PDF (fpdf2): a heading, a note, then the text block in a fixed-width font,
    one line per field, so that pypdf gives the block back line by line."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 8, heading.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 8)
    pdf.multi_cell(0, 4, note.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("courier", "", 8)
    for line in text.splitlines():
        pdf.cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
