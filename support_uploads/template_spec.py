"""The B.1-KWK support template, defined once as data (docs/domain.md §7).

The official 2024 column order is not public, so the layout is ours and versioned: a future cycle's layout is
a new entry in ``TEMPLATES`` (and ``CURRENT_VERSION`` moves), never an edit of a version that files were
generated from. The reader, the rules, the template builder, the error report and the API all read this.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str  # column of the supporter table and of the validation frame
    header: str  # exactly as written in row 1 of every data sheet
    required: bool
    text: bool  # stored as text in the template (number_format "@"), e.g. NIK keeps its 16 digits
    width: int
    hint: str  # shown in the template's instructions and the API
    # longest value accepted, in characters (FIELD_TOO_LONG beyond it). Generous on purpose: a field with a
    # format rule of its own (NIK, dates, codes) gets room for the mistakes that rule explains better.
    max_length: int = 255
    # what a value of this column looks like (``shapes.SHAPES``): a value of another column's shape, or a row
    # whose values fit the neighbouring headings, is refused (docs/domain.md §7)
    shape: str = "text"


@dataclass(frozen=True)
class TemplateSpec:
    version: str
    fields: tuple[Field, ...]
    data_sheet: str = "Dukungan"
    reference_sheet: str = "Referensi Desa"
    meta_sheet: str = "silon_meta"
    max_rows_per_sheet: int = 1_048_575  # an xlsx sheet holds 1,048,576 rows, one of them the header
    file_prefix: str = "B1-KWK"  # the downloaded template's file name starts so

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def data_sheet_name(self, index: int) -> str:
        """The n-th data sheet (0-based): "Dukungan", "Dukungan 2", "Dukungan 3", ..."""
        return self.data_sheet if index == 0 else f"{self.data_sheet} {index + 1}"

    def is_data_sheet(self, name: str) -> bool:
        if name == self.data_sheet:
            return True
        head, _sep, tail = name.rpartition(" ")
        return head == self.data_sheet and tail.isdigit()


B1_KWK_2026 = TemplateSpec(
    version="B1KWK-2026.1",
    fields=(
        Field("nik", "NIK", True, True, 20, _("16 angka, disimpan sebagai teks"), 32, shape="nik"),
        Field("kk", "No. KK", False, True, 20, _("16 angka, disimpan sebagai teks; boleh kosong"), 32, shape="nik"),
        Field("name", "Nama", True, True, 30, _("Nama lengkap sesuai KTP-el"), 150, shape="name"),
        Field("birth_place", "Tempat Lahir", True, True, 18, _("Sesuai KTP-el"), 100, shape="place"),
        Field("birth_date", "Tanggal Lahir", True, True, 14, _("DD-MM-YYYY, mis. 17-08-1990"), 32, shape="date"),
        Field("sex", "Jenis Kelamin", True, True, 8, _("L atau P"), 16, shape="sex"),
        Field(
            "marital",
            "Status Perkawinan",
            True,
            True,
            10,
            _("B = belum kawin, S = kawin, P = pernah kawin"),
            16,
            shape="marital",
        ),
        Field("occupation", "Pekerjaan", True, True, 20, _("Sesuai KTP-el"), 100, shape="occupation"),
        Field("address", "Alamat", True, True, 35, _("Alamat sesuai KTP-el"), 250, shape="address"),
        Field("rt", "RT", True, True, 6, _("1-3 angka"), 8, shape="digits"),
        Field("rw", "RW", True, True, 6, _("1-3 angka"), 8, shape="digits"),
        Field(
            "village_code",
            "Kode Desa/Kelurahan",
            True,
            True,
            16,
            _("Pilih dari daftar (lembar Referensi Desa)"),
            32,
            shape="village_code",
        ),
        Field("phone", "No. HP", False, True, 16, _("Boleh kosong"), 32, shape="phone"),
        Field("email", "Email", False, True, 24, _("Boleh kosong"), 254, shape="email"),
    ),
)

# Pemilu DPD's support form: the same columns without No. KK and No. HP (PKPU 10/2022; issue #20). A regulation
# names its template by version (``RegulationVersion.support_template``).
B1_DPD_2026 = TemplateSpec(
    version="B1DPD-2026.1",
    file_prefix="dukungan-DPD",
    fields=tuple(f for f in B1_KWK_2026.fields if f.key not in {"kk", "phone"}),
)

TEMPLATES = {spec.version: spec for spec in (B1_KWK_2026, B1_DPD_2026)}
CURRENT_VERSION = B1_KWK_2026.version
# every column any template has, in B.1-KWK's order: a file of a narrower template is read into these, the
# columns it lacks empty (the supporter table and the rules have one column set)
ALL_FIELDS = B1_KWK_2026.fields


def current_spec() -> TemplateSpec:
    """Pilkada's B.1-KWK template (the one a caller without an election means)."""
    return TEMPLATES[CURRENT_VERSION]


def spec_for(election) -> TemplateSpec:
    """The template the election's regulation names (B.1-KWK for Pilkada, without KK and phone for DPD)."""
    return TEMPLATES[election.regulation.support_template]
