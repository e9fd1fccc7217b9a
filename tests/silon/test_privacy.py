import logging

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
