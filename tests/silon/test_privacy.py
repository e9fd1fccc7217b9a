import io
import logging
import uuid

from silon.logging import MaskPersonalDataFilter
from silon.privacy import mask_address, mask_name, mask_nik, mask_text


def test_mask_nik_keeps_region_and_serial_only():
    assert mask_nik("5201014101900001") == "520101******0001"
    assert mask_nik("") == ""


def test_mask_name_and_address():
    assert mask_name("Baiq Nurul Aini") == "B*** N**** A***"
    assert mask_address("Jl. Udayana 5") == "••••"


def test_mask_text_masks_every_sixteen_digit_run_but_not_longer_numbers():
    assert mask_text("nik=5201014101900001 kk=5201010101010002") == "nik=520101******0001 kk=520101******0002"
    assert mask_text("id 12345678901234567") == "id 12345678901234567"
    # at the end of a sentence, after a dot, inside a file name
    assert mask_text("NIK 5201014101900001.") == "NIK 520101******0001."
    assert mask_text("ktp.5201014101900001.pdf") == "ktp.520101******0001.pdf"


def test_mask_text_keeps_timings_and_ids():
    # a timing with sixteen digits after the point, or before it; a digest and a UUID's hex form with sixteen
    # digits in a row; an IP address
    kept = [
        "rules=0.2756470012340173",
        "read=1234567890123456.25",
        "sha256=3f52010141019000019e0a4c6e1d2b9f7a8c3e5d6b4a29180716253443526170",
        "task=a1b2c3d45201014101900001abcdef01",
        "peer=10.0.0.1",
    ]
    for text in kept:
        assert mask_text(text) == text


def test_log_records_are_masked_before_handlers(caplog):
    logger = logging.getLogger("silon.test")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="silon.test"):
            logger.info("row rejected for %s", "5201014101900001")
    finally:
        logger.filters.clear()
    assert "5201014101900001" not in caplog.text
    assert "520101******0001" in caplog.text


def test_a_log_line_with_personal_data_and_timings_masks_only_the_personal_data():
    """The filter as the logging configuration installs it, on a handler: the upload pipeline's timings line
    (``support_uploads.services.pipeline``) keeps its figures, the NIK and KK in the same line are masked."""
    from support_uploads.services.pipeline import Timings

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalDataFilter())
    logger = logging.getLogger("silon.test.mixed")
    logger.addHandler(handler)
    logger.propagate = False
    task_id = uuid.UUID(int=0x0123456789ABCDEF5201014101900001).hex  # the NIK's digits inside an id: kept
    timings = Timings(read=1.25, rules=0.2756470012340173, store=12.0, report=0.5)
    try:
        logger.warning(
            "upload %s task %s validated: %s; rejected nik=%s kk=%s",
            42,
            task_id,
            timings,
            "5201014101900001",
            "5201010101010002",
        )
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    line = stream.getvalue()
    assert "rules=0.2756470012340173" in line and "read=1.25" in line
    assert f"upload 42 task {task_id} validated" in line
    assert "nik=520101******0001 kk=520101******0002" in line
    assert "nik=5201014101900001" not in line and "5201010101010002" not in line


# --- the masking policy ----------------------------------------------------------------------------------


def test_phone_email_and_birth_date_masks():
    import datetime

    from silon.privacy import mask_birth_date, mask_email, mask_phone

    assert mask_phone("081234567890") == "0812******90" and mask_phone("+62 812-3456-7890") == "+62 81*-****-**90"
    assert mask_phone("12345") == "*****" and mask_phone("") == ""
    assert mask_email("nurul.aini@example.id") == "n***@example.id" and mask_email("bukan-email") == "••••"
    assert mask_birth_date(datetime.date(1990, 1, 17)) == "**-**-1990"
    assert mask_birth_date("17-01-1990") == "**-**-1990" and mask_birth_date("1990-01-17") == "**-**-1990"
    assert mask_birth_date("17011990") == "**-**-1990" and mask_birth_date("17/01/90") == "••••"


def test_no_need_sees_a_whole_date_of_birth_beside_a_masked_nik():
    """The masked digits of a NIK are the date of birth (docs/domain.md §6.1): wherever the NIK (a supporter's
    or a candidate's) is not shown whole, neither is the date of birth of the same person."""
    from silon.privacy import POLICY, Kind, Need, Show, Viewer

    for need in Need:
        for person in (Kind.NIK, Kind.CANDIDATE_NIK):
            for viewer in (Viewer(need), Viewer(need).listing()):
                if not viewer.full(person):
                    assert viewer.level(Kind.BIRTH_DATE, person=person) < Show.FULL, (need, person)
                    assert viewer.show(Kind.BIRTH_DATE, "17-01-1990", person=person) in ("**-**-1990", "")
    # a candidate's NIK in full only to KPU; phone and e-mail in full only to KPU and the pair's own LO
    assert {n for n in Need if POLICY[n][Kind.CANDIDATE_NIK] == Show.FULL} == {Need.KPU}
    for kind in (Kind.PHONE, Kind.EMAIL, Kind.NIK, Kind.KK, Kind.IDENTITY_IMAGE):
        assert {n for n in Need if POLICY[n][kind] == Show.FULL} == {Need.KPU, Need.OWN_TEAM}
    # an image cannot be masked: whole or not at all, whatever the need
    assert {POLICY[n][Kind.IDENTITY_IMAGE] for n in Need} == {Show.FULL, Show.HIDDEN}
    assert Viewer(Need.KPU).listing().show(Kind.NIK, "5201014101900001") == "520101******0001"
    assert Viewer(Need.VERIFIER).show(Kind.KK, "5201010101010002") == ""  # hidden


def test_viewer_for_each_role_and_area(db):
    from silon.accounts.models import KpuLevel, Role
    from silon.privacy import Need, viewer_for
    from tests.accounts.factories import UserFactory, operator

    desa = "52.01.01.2001"
    pps = UserFactory(username="pps", role=Role.VERIFIER, level=KpuLevel.PPS, region_code=desa)
    cases = [
        (None, "52.01", False, Need.NONE),
        (operator("52.01", username="kpu-lobar"), "52.01", False, Need.KPU),
        (operator("52", username="kpu-ntb"), desa, False, Need.KPU),
        (operator("52.06", username="kpu-bima"), "52.01", False, Need.NONE),
        (pps, desa, False, Need.VERIFIER),
        (pps, "52.01", False, Need.NONE),  # the election's region is wider than the verifier's desa
        (UserFactory(username="bawaslu", role=Role.BAWASLU, level="", region_code="52.01"), desa, False, Need.BAWASLU),
        (UserFactory(username="lo", role=Role.PAIR_OPERATOR, level="", region_code=""), "52.01", True, Need.OWN_TEAM),
        (UserFactory(username="lo2", role=Role.PAIR_OPERATOR, level="", region_code=""), "52.01", False, Need.NONE),
        (UserFactory(username="adm", role=Role.ADMIN, level="", region_code=""), "52.01", False, Need.KPU),
    ]
    for user, region, own, need in cases:
        assert viewer_for(user, region_code=region, own_team=own).need == need, (user, region)
