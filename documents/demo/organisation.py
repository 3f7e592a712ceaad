"""The demo organisation of 2012: Sở GD&ĐT Hòa Bình, its offices, the 11 district offices, and
the people who hold the roles (usernames ``<role>.<unit>``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from qms.models import OrgUnit, Role

DEPARTMENT = "SGD"
PATTERN = "QT-{unit}-{number:02d}"


@dataclass(frozen=True)
class DemoUnit:
    short_code: str
    name: str
    kind: str
    parent: str | None = DEPARTMENT
    runs_own_qms: bool = False
    document_code_pattern: str = ""
    valid_to: datetime.date | None = None
    merged_into: str | None = None


def _district(code: str, name: str, **extra) -> DemoUnit:
    return DemoUnit(
        short_code=code,
        name=f"Phòng GD&ĐT {name}",
        kind=OrgUnit.Kind.DISTRICT,
        runs_own_qms=True,
        document_code_pattern=extra.pop("document_code_pattern", PATTERN),
        **extra,
    )


UNITS: tuple[DemoUnit, ...] = (
    DemoUnit(
        short_code=DEPARTMENT,
        name="Sở Giáo dục và Đào tạo tỉnh Hòa Bình",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=None,
        runs_own_qms=True,
        document_code_pattern=PATTERN,
    ),
    DemoUnit("VP", "Văn phòng Sở", OrgUnit.Kind.OFFICE),
    DemoUnit("TCCB", "Phòng Tổ chức Cán bộ", OrgUnit.Kind.OFFICE),
    DemoUnit("KHTC", "Phòng Kế hoạch Tài chính", OrgUnit.Kind.OFFICE),
    DemoUnit("GDTRH", "Phòng Giáo dục Trung học", OrgUnit.Kind.OFFICE),
    DemoUnit("GDTH", "Phòng Giáo dục Tiểu học", OrgUnit.Kind.OFFICE),
    DemoUnit("GDMN", "Phòng Giáo dục Mầm non", OrgUnit.Kind.OFFICE),
    DemoUnit("KTKD", "Phòng Khảo thí và Kiểm định chất lượng", OrgUnit.Kind.OFFICE),
    DemoUnit("TTRA", "Thanh tra Sở", OrgUnit.Kind.OFFICE),
    _district("TPHB", "Thành phố Hòa Bình"),
    _district("DABAC", "Đà Bắc"),
    _district("MAICHAU", "Mai Châu"),
    # Kỳ Sơn was merged into Thành phố Hòa Bình at the start of 2020: its office stops there and
    # its history stays readable (valid_to, merged_into).
    _district("KYSON", "Kỳ Sơn", valid_to=datetime.date(2020, 1, 1), merged_into="TPHB"),
    _district("CAOPHONG", "Cao Phong"),
    # Lương Sơn writes its codes QT-LS-01, ...: code patterns are set per QMS.
    _district("LUONGSON", "Lương Sơn", document_code_pattern="QT-LS-{number:02d}"),
    _district("KIMBOI", "Kim Bôi"),
    _district("TANLAC", "Tân Lạc"),
    _district("LACSON", "Lạc Sơn"),
    _district("LACTHUY", "Lạc Thủy"),
    _district("YENTHUY", "Yên Thủy"),
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    unit: str
    role: str
    full_name: str
    position: str

    @property
    def family_names(self) -> str:
        return self.full_name.rsplit(" ", 1)[0]

    @property
    def given_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1]


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("approver.sgd", "SGD", Role.APPROVER, "Nguyễn Minh Thành", "Giám đốc Sở"),
    DemoPerson(
        "qm.sgd", "SGD", Role.QUALITY_MANAGER, "Bùi Thị Thu Hằng", "Phó Giám đốc, Đại diện lãnh đạo"
    ),
    DemoPerson(
        "controller.sgd", "SGD", Role.CONTROLLER, "Đinh Thị Thanh Hà", "Chuyên viên, Thư ký ISO"
    ),
    DemoPerson("auditor.sgd", "SGD", Role.AUDITOR, "Trần Quốc Việt", "Đánh giá viên nội bộ"),
    DemoPerson("author.vp", "VP", Role.AUTHOR, "Lê Thị Hồng Nhung", "Phó Chánh Văn phòng"),
    DemoPerson("reviewer.vp", "VP", Role.REVIEWER, "Quách Văn Sơn", "Chánh Văn phòng"),
    DemoPerson("staff.vp", "VP", Role.STAFF, "Hoàng Thị Mai", "Chuyên viên"),
    DemoPerson(
        "qm.luongson", "LUONGSON", Role.QUALITY_MANAGER, "Nguyễn Thị Bích", "Phó Trưởng phòng"
    ),
    DemoPerson("author.luongson", "LUONGSON", Role.AUTHOR, "Phạm Thị Lan", "Chuyên viên"),
    DemoPerson(
        "reviewer.luongson", "LUONGSON", Role.REVIEWER, "Nguyễn Văn Toàn", "Phó Trưởng phòng"
    ),
    DemoPerson("approver.luongson", "LUONGSON", Role.APPROVER, "Bạch Công Minh", "Trưởng phòng"),
    DemoPerson("controller.luongson", "LUONGSON", Role.CONTROLLER, "Đỗ Thị Hương", "Thư ký ISO"),
    DemoPerson("auditor.luongson", "LUONGSON", Role.AUDITOR, "Kiều Thị Thanh", "Đánh giá viên"),
    DemoPerson("staff.luongson", "LUONGSON", Role.STAFF, "Vũ Văn Nam", "Chuyên viên"),
    DemoPerson("approver.kimboi", "KIMBOI", Role.APPROVER, "Bùi Văn Khánh", "Trưởng phòng"),
    DemoPerson("auditor.kimboi", "KIMBOI", Role.AUDITOR, "Xa Thị Hạnh", "Đánh giá viên"),
)

# Sixteen staff in Kim Bôi, so read-acknowledgement coverage has something to count.
_KIMBOI_STAFF = (
    "Bùi Văn Thắng",
    "Quách Thị Ngọc",
    "Đinh Công Tuấn",
    "Xa Văn Thành",
    "Bùi Thị Hoa",
    "Nguyễn Thị Lý",
    "Hà Văn Dũng",
    "Bùi Thị Nhàn",
    "Trương Văn Hải",
    "Lê Thị Phương",
    "Bạch Thị Yến",
    "Đinh Văn Quang",
    "Bùi Thị Thoa",
    "Nguyễn Văn Hưng",
    "Quách Công Thái",
    "Hoàng Thị Duyên",
)
PEOPLE += tuple(
    DemoPerson(
        "staff.kimboi" if index == 1 else f"staff{index}.kimboi",
        "KIMBOI",
        Role.STAFF,
        name,
        "Chuyên viên",
    )
    for index, name in enumerate(_KIMBOI_STAFF, start=1)
)

ADMIN = DemoPerson("admin", "", "", "Quản trị hệ thống", "Quản trị hệ thống")
EMAIL_DOMAIN = "hoabinh.edu.vn"
