"""Demo accounts, one per role, around the demo election of Nusa Tenggara Barat (province 52)."""

from .models import KpuLevel, Role, User
from .services import user_create

DEMO_PASSWORD = "Silon-Demo-2026"  # noqa: S105 (demo only: demo_load refuses to run in production)

# username, role, level, region (Kemendagri code), description
DEMO_USERS = [
    ("admin", Role.ADMIN, "", "", "Admin sistem"),
    ("kpu-ri", Role.KPU_OPERATOR, KpuLevel.RI, "", "Operator KPU RI"),
    ("kpu-ntb", Role.KPU_OPERATOR, KpuLevel.PROVINSI, "52", "Operator KPU Provinsi NTB"),
    ("kpu-ntb-2", Role.KPU_OPERATOR, KpuLevel.PROVINSI, "52", "Operator kedua KPU Provinsi NTB (empat mata)"),
    ("kpu-lobar", Role.KPU_OPERATOR, KpuLevel.KABKOTA, "52.01", "Operator KPU Kabupaten Lombok Barat"),
    ("kpu-bima", Role.KPU_OPERATOR, KpuLevel.KABKOTA, "52.06", "Operator KPU Kabupaten Bima"),
    ("pps-gerung", Role.VERIFIER, KpuLevel.PPS, "52.01.01.1001", "PPS Gerung Utara"),
    ("ppk-gerung", Role.VERIFIER, KpuLevel.PPK, "52.01.01", "PPK Kecamatan Gerung"),
    ("bawaslu-ntb", Role.BAWASLU, "", "52", "Bawaslu Provinsi NTB"),
]


def build(*, ctx: dict, stdout) -> None:
    admin = None
    for username, role, level, region, description in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = user_create(
                actor=admin,
                username=username,
                role=role,
                level=level,
                region_code=region,
                password=DEMO_PASSWORD,
                first_name=description,
                must_change_password=False,
            )
        if username == "admin":
            admin = user
        ctx.setdefault("accounts", []).append((username, DEMO_PASSWORD, description))
    ctx["admin"] = admin
    ctx["users"] = {u.username: u for u in User.objects.filter(username__in=[d[0] for d in DEMO_USERS])}
