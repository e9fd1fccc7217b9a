import json
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from silon.audit import keys
from silon.audit.checkpoints import checkpoints_verify, stored_checkpoints
from silon.audit.services import audit_chain_verify

MAX_PAGES = 10_000


def _read(source: str) -> object:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})  # noqa: S310 (http(s) only)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)
    return json.loads(Path(source).read_text())


def load_checkpoints(source: str) -> list[dict]:
    """Checkpoints as published: a JSON list, or the API's page (``results``, following ``next``), from a file
    or an http(s) URL."""
    found: list[dict] = []
    data = _read(source)
    for _page in range(MAX_PAGES):
        if isinstance(data, list):
            return found + data
        if not isinstance(data, dict) or not isinstance(data.get("results", data.get("checkpoints")), list):
            raise CommandError(f"{source}: not a list of checkpoints")
        found += data.get("results", data.get("checkpoints"))
        following = data.get("next")
        if not following:
            return found
        data = _read(following)
    raise CommandError(f"{source}: more than {MAX_PAGES} pages")


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain and report the first broken link; with --checkpoints, prove that "
        "the log still extends every signed checkpoint in FILE_OR_URL (as published on the open-data API)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE_OR_URL",
            help="checkpoints you hold: a JSON file or the open-data API URL (/api/public/audit-checkpoints/)",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="HEX",
            help="a trusted signing key (hex); default: this installation's own (from AUDIT_SIGNING_KEY)",
        )

    def handle(self, *args, **options):
        chain = audit_chain_verify()
        trusted = set(options["public_key"]) or {keys.public_key_hex()}
        held = stored_checkpoints()
        for source in options["checkpoints"]:
            try:
                held += load_checkpoints(source)
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read checkpoints from {source}: {exc}") from exc
        unique = {json.dumps(h, sort_keys=True, default=str): h for h in held if isinstance(h, dict)}
        good, problems = checkpoints_verify(list(unique.values()), chain=chain, trusted_keys=trusted)
        lines = []
        if not chain.ok:
            lines.append(
                f"Audit chain broken at event {chain.broken_at} after {chain.checked} good events: {chain.problem}"
            )
        lines += [str(p) for p in problems]
        if lines:
            raise CommandError("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {chain.checked} events."))
        self.stdout.write(f"Checkpoints held: {good}.")
