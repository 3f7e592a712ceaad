"""The texts of the department's system-level documents: quality manual, quality policy, quality
objectives, and the forms that belong to procedures."""

from __future__ import annotations

from documents.pdfgen import Section

PROCEDURE_LIST = (
    ("Mã hiệu", "Tên quy trình", "Điều khoản"),
    ("QT-SGD-01", "Kiểm soát tài liệu", "4.2.3"),
    ("QT-SGD-02", "Kiểm soát hồ sơ", "4.2.4"),
    ("QT-SGD-03", "Đánh giá nội bộ", "8.2.2"),
    ("QT-SGD-04", "Kiểm soát sản phẩm không phù hợp", "8.3"),
    ("QT-SGD-05", "Hành động khắc phục", "8.5.2"),
    ("QT-SGD-06", "Hành động phòng ngừa", "8.5.3"),
)


def quality_manual(revision: int) -> tuple[Section, ...]:
    """ST-SGD Sổ tay chất lượng (4.2.2)."""
    return (
        Section(
            "1. GIỚI THIỆU CHUNG",
            (
                "Sở Giáo dục và Đào tạo tỉnh Hòa Bình là cơ quan chuyên môn thuộc Ủy ban nhân dân "
                "tỉnh, tham mưu, giúp Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước về "
                "giáo dục và đào tạo trên địa bàn tỉnh theo Quyết định số 04/2012/QĐ-UBND ngày "
                "30/03/2012 của Ủy ban nhân dân tỉnh Hòa Bình.",
                "Thực hiện Kế hoạch Cải cách hành chính giai đoạn 2012-2015 ban hành kèm theo "
                "Quyết định số 987/QĐ-SGD&ĐT, Sở xây dựng và áp dụng hệ thống quản lý chất lượng "
                "theo tiêu chuẩn TCVN ISO 9001:2008 tại cơ quan Sở và hướng dẫn các Phòng GD&ĐT "
                "huyện, thành phố xây dựng hệ thống của mình.",
                "Sổ tay chất lượng mô tả phạm vi, cơ cấu trách nhiệm, hệ thống tài liệu và mối "
                "tương tác giữa các quá trình của hệ thống quản lý chất lượng (HTQLCL) của Sở.",
            ),
        ),
        Section(
            "2. PHẠM VI ÁP DỤNG VÀ CÁC NGOẠI LỆ",
            (
                "HTQLCL được áp dụng cho các hoạt động quản lý nhà nước và giải quyết thủ tục hành "
                "chính thuộc thẩm quyền của Sở, do Văn phòng Sở và các phòng chức năng, chuyên "
                "môn, nghiệp vụ thực hiện.",
                "Các ngoại lệ: điều khoản 7.3 (thiết kế và phát triển) do các quy trình giải quyết "
                "công việc đã được pháp luật quy định; điều khoản 7.6 (kiểm soát thiết bị theo dõi "
                "và đo lường) do Sở không sử dụng thiết bị đo lường trong việc tạo ra sản phẩm.",
            ),
        ),
        Section(
            "3. CHÍNH SÁCH VÀ MỤC TIÊU CHẤT LƯỢNG",
            (
                "Chính sách chất lượng (CS-SGD) do Giám đốc Sở ban hành, được phổ biến tới mọi cán "
                "bộ, công chức và công bố công khai. Mục tiêu chất lượng (MT-SGD) được thiết lập "
                "hằng năm cho cơ quan Sở và cụ thể hóa tại từng phòng, đo lường được và nhất quán "
                "với chính sách chất lượng.",
            ),
        ),
        Section(
            "4. TRÁCH NHIỆM VÀ QUYỀN HẠN",
            (
                (
                    ("Chức danh", "Trách nhiệm chính trong HTQLCL"),
                    (
                        "Giám đốc Sở",
                        "Cam kết của lãnh đạo; ban hành chính sách, mục tiêu; phê duyệt tài "
                        "liệu; chủ trì xem xét của lãnh đạo; bảo đảm nguồn lực.",
                    ),
                    (
                        "Đại diện lãnh đạo (Phó Giám đốc)",
                        "Bảo đảm các quá trình được thiết lập, thực hiện, duy trì; báo cáo kết quả "
                        "hoạt động của HTQLCL; lập chương trình đánh giá nội bộ.",
                    ),
                    (
                        "Văn phòng Sở (Thư ký ISO)",
                        "Kiểm soát tài liệu, hồ sơ; theo dõi hành động khắc phục, phòng ngừa; "
                        "tổng hợp báo cáo về HTQLCL.",
                    ),
                    (
                        "Trưởng các phòng",
                        "Áp dụng các quy trình trong phòng; đề xuất sửa đổi tài liệu; thực hiện "
                        "mục tiêu chất lượng của phòng.",
                    ),
                    (
                        "Đánh giá viên nội bộ",
                        "Thực hiện đánh giá nội bộ độc lập với công việc của mình; xác nhận "
                        "hiệu lực của hành động khắc phục.",
                    ),
                ),
            ),
        ),
        Section(
            "5. HỆ THỐNG TÀI LIỆU",
            (
                "Tài liệu của HTQLCL gồm: chính sách và mục tiêu chất lượng; sổ tay chất lượng; "
                "các quy trình theo yêu cầu của tiêu chuẩn và các quy trình giải quyết công việc; "
                "hướng dẫn công việc, biểu mẫu; tài liệu có nguồn gốc bên ngoài.",
                "Các quy trình bắt buộc theo tiêu chuẩn TCVN ISO 9001:2008:",
                PROCEDURE_LIST,
            ),
        ),
        Section(
            "6. MỐI TƯƠNG TÁC GIỮA CÁC QUÁ TRÌNH",
            (
                "Yêu cầu của tổ chức, cá nhân và quy định của pháp luật là đầu vào của các quá "
                "trình giải quyết công việc; kết quả được theo dõi, đo lường qua khảo sát sự hài "
                "lòng, đánh giá nội bộ và phân tích dữ liệu; các điểm không phù hợp được xử lý "
                "bằng hành động khắc phục, phòng ngừa; xem xét của lãnh đạo ít nhất mỗi năm một "
                "lần đưa ra quyết định cải tiến.",
            ),
        ),
    )


def quality_policy(revision: int) -> tuple[Section, ...]:
    """CS-SGD Chính sách chất lượng (5.3)."""
    return (
        Section(
            "CHÍNH SÁCH CHẤT LƯỢNG",
            (
                "Sở Giáo dục và Đào tạo tỉnh Hòa Bình cam kết xây dựng cơ quan trong sạch, vững "
                "mạnh, hiện đại; giải quyết công việc của tổ chức, cá nhân công khai, minh bạch, "
                "đúng pháp luật và đúng thời hạn.",
                "- Lấy sự hài lòng của tổ chức, cá nhân làm thước đo chất lượng phục vụ.",
                "- Không ngừng nâng cao năng lực, trách nhiệm của đội ngũ cán bộ, công chức.",
                "- Áp dụng, duy trì và cải tiến thường xuyên hệ thống quản lý chất lượng theo "
                "tiêu chuẩn TCVN ISO 9001:2008.",
                "Chính sách chất lượng được phổ biến tới toàn thể cán bộ, công chức, được niêm yết "
                "tại trụ sở cơ quan và trên trang thông tin điện tử của ngành.",
            ),
        ),
    )


def quality_objectives(revision: int) -> tuple[Section, ...]:
    """MT-SGD Mục tiêu chất lượng (5.4.1), taken from the plan of Quyết định 987/QĐ-SGD&ĐT."""
    return (
        Section(
            "MỤC TIÊU CHẤT LƯỢNG NĂM 2012-2013",
            (
                (
                    ("TT", "Mục tiêu", "Chỉ số đo lường", "Đơn vị theo dõi"),
                    (
                        "1",
                        "Bảo đảm sự hài lòng của tổ chức, cá nhân đối với sự phục vụ của cơ quan "
                        "Sở đạt trên 80%",
                        "Tỷ lệ phiếu khảo sát hài lòng",
                        "Văn phòng Sở",
                    ),
                    (
                        "2",
                        "100% hồ sơ thủ tục hành chính được giải quyết đúng hạn",
                        "Tỷ lệ hồ sơ đúng hạn / tổng số hồ sơ",
                        "Các phòng",
                    ),
                    (
                        "3",
                        "Công khai 100% thủ tục hành chính trên trang thông tin điện tử của ngành",
                        "Số thủ tục được công khai",
                        "Văn phòng Sở",
                    ),
                    (
                        "4",
                        "Thực hiện cơ chế một cửa tại cơ quan Sở vào năm 2013",
                        "Bộ phận một cửa hoạt động",
                        "Văn phòng Sở",
                    ),
                    (
                        "5",
                        "Đánh giá nội bộ HTQLCL ít nhất 01 lần/năm",
                        "Báo cáo đánh giá nội bộ",
                        "Đại diện lãnh đạo",
                    ),
                ),
                "Kết quả thực hiện mục tiêu được báo cáo 6 tháng, hằng năm và là đầu vào của "
                "cuộc họp xem xét của lãnh đạo.",
            ),
        ),
    )


def change_request_form(revision: int) -> tuple[Section, ...]:
    """BM-01/QT-SGD-01 Phiếu đề nghị sửa đổi tài liệu."""
    return (
        Section(
            "PHIẾU ĐỀ NGHỊ SỬA ĐỔI TÀI LIỆU",
            (
                "Họ và tên người đề nghị: ..........................................",
                "Đơn vị: ............................................................",
                "Tên tài liệu đề nghị sửa đổi: ..................................",
                "Mã hiệu: ................................ Lần ban hành: ................",
                (
                    ("TT", "Vị trí (trang/mục)", "Nội dung hiện tại", "Nội dung đề nghị sửa đổi"),
                    ("1", "", "", ""),
                    ("2", "", "", ""),
                ),
                "Lý do đề nghị sửa đổi: ..........................................",
                "Ý kiến của Đại diện lãnh đạo: [ ] Đồng ý   [ ] Không đồng ý. Lý do: ..........",
                "Đơn vị, người được giao sửa đổi: ...................... Thời hạn: ..........",
                "Ngày ..... tháng ..... năm .....   Người đề nghị (ký, ghi rõ họ tên)",
            ),
        ),
    )


def corrective_action_form(revision: int) -> tuple[Section, ...]:
    """BM-01/QT-SGD-05 Phiếu yêu cầu hành động khắc phục."""
    return (
        Section(
            "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC",
            (
                "Số phiếu: ........  Nguồn phát hiện: [ ] Đánh giá nội bộ  [ ] Khiếu nại  "
                "[ ] Xem xét của lãnh đạo  [ ] Khác",
                "Đơn vị được yêu cầu: .............................................",
                "1. Mô tả sự không phù hợp (điều khoản, bằng chứng): .................",
                "2. Khắc phục tức thời (sửa chữa): ....................................",
                "3. Nguyên nhân (phân tích 5 lần hỏi tại sao): ........................",
                (
                    ("TT", "Hành động khắc phục", "Người thực hiện", "Thời hạn"),
                    ("1", "", "", ""),
                    ("2", "", "", ""),
                ),
                "4. Phê duyệt của Đại diện lãnh đạo: ...................................",
                "5. Kiểm tra việc thực hiện và hiệu lực: [ ] Có hiệu lực  [ ] Chưa có hiệu lực "
                "— Đánh giá viên: ................ Ngày: ..........",
            ),
        ),
    )
