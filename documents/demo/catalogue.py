"""Which demo documents exist, who owns them, their ISO clauses and their issued revisions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from documents.demo import procedures, system
from documents.models import ControlledDocument, DocumentKind
from documents.pdfgen import Section

PUBLIC = ControlledDocument.Visibility.PUBLIC
INTERNAL = ControlledDocument.Visibility.INTERNAL
QMS_START = datetime.date(2012, 8, 1)


@dataclass(frozen=True)
class DemoRevision:
    number: int
    effective_from: datetime.date
    change_summary: str
    where: str = "Toàn bộ"

    @property
    def approved_on(self) -> datetime.date:
        # Approval a week before the revision comes into force, as on paper.
        return self.effective_from - datetime.timedelta(days=7)


FIRST_ISSUE = (DemoRevision(1, QMS_START, "Ban hành lần đầu."),)


@dataclass(frozen=True)
class DemoDocument:
    """A controlled document of the demo, issued through Wagtail and the revision register."""

    code: str
    title: str
    kind: str
    sections: Callable[[int], tuple[Section, ...]]
    clauses: tuple[str, ...] = ()
    unit: str = "SGD"
    visibility: str = INTERNAL
    applies_to: tuple[str, ...] = ("SGD",)
    parent: str = ""
    revisions: tuple[DemoRevision, ...] = FIRST_ISSUE
    # usernames of who prepared, reviewed and approved (signature block and register)
    people: tuple[str, str, str] = ("author.vp", "qm.sgd", "approver.sgd")
    signed: bool = True


LUONG_SON_PEOPLE = ("author.luongson", "reviewer.luongson", "approver.luongson")

DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "ST-SGD",
        "Sổ tay chất lượng",
        DocumentKind.QUALITY_MANUAL,
        system.quality_manual,
        ("4.2.2",),
    ),
    DemoDocument(
        "CS-SGD",
        "Chính sách chất lượng",
        DocumentKind.POLICY,
        system.quality_policy,
        ("5.3",),
        visibility=PUBLIC,
    ),
    DemoDocument(
        "MT-SGD",
        "Mục tiêu chất lượng năm 2012-2013",
        DocumentKind.OBJECTIVES,
        system.quality_objectives,
        ("5.4.1",),
    ),
    DemoDocument(
        "QT-SGD-01",
        "Quy trình kiểm soát tài liệu",
        DocumentKind.PROCEDURE,
        procedures.document_control,
        ("4.2.3",),
        revisions=(
            FIRST_ISSUE[0],
            DemoRevision(
                2,
                datetime.date(2013, 1, 15),
                "Phân phối tài liệu bằng bản điện tử, xác nhận đã đọc trên hệ thống và đóng dấu "
                "kiểm soát trên bản in (mục 5.2 f); bổ sung xem xét định kỳ 12 tháng/lần và cập "
                "nhật tài liệu trong 03 tháng khi pháp luật thay đổi (mục 5.2 k, mục 7).",
                where="Mục 5.2 f, 5.2 k; mục 7",
            ),
        ),
    ),
    DemoDocument(
        "QT-SGD-02",
        "Quy trình kiểm soát hồ sơ",
        DocumentKind.PROCEDURE,
        procedures.records_control,
        ("4.2.4",),
    ),
    DemoDocument(
        "QT-SGD-03",
        "Quy trình đánh giá nội bộ",
        DocumentKind.PROCEDURE,
        procedures.internal_audit,
        ("8.2.2",),
    ),
    DemoDocument(
        "QT-SGD-04",
        "Quy trình kiểm soát sản phẩm không phù hợp",
        DocumentKind.PROCEDURE,
        procedures.nonconforming_output,
        ("8.3",),
    ),
    DemoDocument(
        "QT-SGD-05",
        "Quy trình hành động khắc phục",
        DocumentKind.PROCEDURE,
        procedures.corrective_action,
        ("8.5.2",),
    ),
    DemoDocument(
        "QT-SGD-06",
        "Quy trình hành động phòng ngừa",
        DocumentKind.PROCEDURE,
        procedures.preventive_action,
        ("8.5.3",),
    ),
    DemoDocument(
        "BM-01/QT-SGD-01",
        "Phiếu đề nghị sửa đổi tài liệu",
        DocumentKind.FORM,
        system.change_request_form,
        ("4.2.3",),
        parent="QT-SGD-01",
        signed=False,
    ),
    DemoDocument(
        "BM-01/QT-SGD-05",
        "Phiếu yêu cầu hành động khắc phục",
        DocumentKind.FORM,
        system.corrective_action_form,
        ("8.5.2",),
        parent="QT-SGD-05",
        signed=False,
    ),
    # Administrative procedures are published for citizens: public.
    DemoDocument(
        "QT-LS-01",
        "Quy trình tiếp nhận và giải quyết hồ sơ thủ tục hành chính tại bộ phận một cửa",
        DocumentKind.PROCEDURE,
        procedures.one_stop_shop_luong_son,
        ("7.2.1", "7.5.1"),
        unit="LUONGSON",
        visibility=PUBLIC,
        applies_to=("LUONGSON",),
        revisions=(DemoRevision(1, datetime.date(2012, 10, 1), "Ban hành lần đầu."),),
        people=LUONG_SON_PEOPLE,
    ),
)


@dataclass(frozen=True)
class DemoOfficialDocument:
    """A document identified by its official number: the seed decision or an external one."""

    official_number: str
    title: str
    kind: str
    issuing_body: str
    issued_on: datetime.date
    legal_status: str = ControlledDocument.LegalStatus.IN_FORCE
    type_label: str = "Quyết định"
    note: str = ""


UBND = "Ủy ban nhân dân tỉnh Hòa Bình"
CHINH_PHU = "Chính phủ"
LEGAL = ControlledDocument.LegalStatus

SEED_DECISION = DemoOfficialDocument(
    "987/QĐ-SGD&ĐT",
    "Quyết định ban hành Kế hoạch Cải cách hành chính ngành Giáo dục và Đào tạo tỉnh Hòa Bình "
    "giai đoạn 2012-2015",
    DocumentKind.DECISION,
    "Sở Giáo dục và Đào tạo tỉnh Hòa Bình",
    datetime.date(2012, 7, 16),
)

# The documents the decision cites (4.2.3 f: documents of external origin).
EXTERNAL_DOCUMENTS: tuple[DemoOfficialDocument, ...] = (
    DemoOfficialDocument(
        "04/2012/QĐ-UBND",
        "Quy định vị trí, chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức của Sở Giáo dục và "
        "Đào tạo tỉnh Hòa Bình",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2012, 3, 30),
    ),
    DemoOfficialDocument(
        "30c/NQ-CP",
        "Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011-2020",
        DocumentKind.EXTERNAL,
        CHINH_PHU,
        datetime.date(2011, 11, 8),
        type_label="Nghị quyết",
    ),
    DemoOfficialDocument(
        "688/QĐ-UBND",
        "Ban hành Kế hoạch Cải cách hành chính tỉnh Hòa Bình giai đoạn 2012-2015",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2012, 6, 4),
    ),
    DemoOfficialDocument(
        "63/2010/NĐ-CP",
        "Về kiểm soát thủ tục hành chính",
        DocumentKind.EXTERNAL,
        CHINH_PHU,
        datetime.date(2010, 6, 8),
        legal_status=LEGAL.AMENDED,
        type_label="Nghị định",
        note="Đã được sửa đổi, bổ sung bởi Nghị định số 48/2013/NĐ-CP.",
    ),
    DemoOfficialDocument(
        "49/QĐ-UBND",
        "Ban hành quy định thực hiện cơ chế một cửa, một cửa liên thông tại các cơ quan hành "
        "chính nhà nước trên địa bàn tỉnh Hòa Bình",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2009, 1, 13),
    ),
    DemoOfficialDocument(
        "19/2009/QĐ-UBND",
        "Quy định về phân cấp quản lý tổ chức bộ máy, biên chế và cán bộ, công chức, viên chức "
        "tỉnh Hòa Bình",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2009, 4, 28),
    ),
    DemoOfficialDocument(
        "158/2007/NĐ-CP",
        "Quy định danh mục các vị trí công tác và thời hạn định kỳ chuyển đổi vị trí công tác "
        "đối với cán bộ, công chức, viên chức",
        DocumentKind.EXTERNAL,
        CHINH_PHU,
        # The decision cites it without a date; this is the date the decree was signed.
        datetime.date(2007, 10, 27),
        type_label="Nghị định",
    ),
    DemoOfficialDocument(
        "745/QĐ-UBND",
        "Về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước tỉnh Hòa Bình "
        "giai đoạn 2011-2015",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2011, 5, 9),
    ),
    DemoOfficialDocument(
        "15/2007/QĐ-UBND",
        "Ban hành quy chế đánh giá mức độ hoàn thành nhiệm vụ hằng năm của các Sở, ban, ngành "
        "thuộc Ủy ban nhân dân tỉnh",
        DocumentKind.EXTERNAL,
        UBND,
        datetime.date(2007, 9, 6),
    ),
)
