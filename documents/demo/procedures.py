"""The texts of the demo procedures: the six procedures TCVN ISO 9001:2008 requires of the
department, and one administrative procedure of Phòng GD&ĐT Lương Sơn.

Each procedure follows the section order of real Vietnamese QMS documents (GLOSSARY.md): Mục đích;
Phạm vi áp dụng; Tài liệu viện dẫn; Định nghĩa, chữ viết tắt; Nội dung quy trình; Biểu mẫu;
Hồ sơ cần lưu.
"""

from __future__ import annotations

from documents.pdfgen import Block, Section

STEP_HEADINGS = ("Bước", "Trách nhiệm", "Nội dung công việc", "Biểu mẫu / hồ sơ")
FORM_HEADINGS = ("TT", "Tên biểu mẫu", "Mã hiệu")
RECORD_HEADINGS = ("TT", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu")

BASE_REFERENCES = (
    "- Tiêu chuẩn TCVN ISO 9001:2008 Hệ thống quản lý chất lượng – Các yêu cầu.",
    "- Quyết định số 144/2006/QĐ-TTg ngày 20/6/2006 của Thủ tướng Chính phủ về việc áp dụng "
    "hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2000 vào hoạt động của các cơ "
    "quan hành chính nhà nước, được sửa đổi, bổ sung bởi Quyết định số 118/2009/QĐ-TTg.",
    "- Sổ tay chất lượng của Sở Giáo dục và Đào tạo tỉnh Hòa Bình (ST-SGD).",
)

BASE_DEFINITIONS = (
    "- HTQLCL: Hệ thống quản lý chất lượng.",
    "- ĐDLĐ: Đại diện lãnh đạo về chất lượng.",
    "- Thư ký ISO: công chức Văn phòng Sở được giao theo dõi HTQLCL.",
    "- CBCC: Cán bộ, công chức.",
    "- BM: Biểu mẫu.",
)


def procedure(
    *,
    purpose: tuple[Block, ...],
    scope: tuple[Block, ...],
    references: tuple[Block, ...] = (),
    definitions: tuple[Block, ...] = (),
    steps: tuple[tuple[str, ...], ...],
    explanation: tuple[Block, ...],
    forms: tuple[tuple[str, ...], ...] = (),
    records: tuple[tuple[str, ...], ...],
) -> tuple[Section, ...]:
    """The seven sections of a procedure in their usual order and numbering."""
    return (
        Section("1. MỤC ĐÍCH", purpose),
        Section("2. PHẠM VI ÁP DỤNG", scope),
        Section("3. TÀI LIỆU VIỆN DẪN", BASE_REFERENCES + references),
        Section("4. ĐỊNH NGHĨA, CHỮ VIẾT TẮT", definitions + BASE_DEFINITIONS),
        Section(
            "5. NỘI DUNG QUY TRÌNH",
            ("5.1. Lưu đồ", (STEP_HEADINGS, *steps), "5.2. Diễn giải", *explanation),
        ),
        Section(
            "6. BIỂU MẪU",
            ((FORM_HEADINGS, *forms),)
            if forms
            else ("Quy trình này không sử dụng biểu mẫu riêng.",),
        ),
        Section("7. HỒ SƠ CẦN LƯU", ((RECORD_HEADINGS, *records),)),
    )


# --- QT-SGD-01 -------------------------------------------------------------------------------


def document_control(revision: int) -> tuple[Section, ...]:
    """QT-SGD-01 Quy trình kiểm soát tài liệu (4.2.3); revision 02 adds periodic review and
    electronic distribution."""
    explanation: list[Block] = [
        "a) Đề nghị biên soạn, sửa đổi tài liệu: mọi cán bộ, công chức khi phát hiện tài liệu "
        "không còn phù hợp hoặc cần có tài liệu mới đều lập Phiếu đề nghị sửa đổi tài liệu "
        "(BM-01/QT-SGD-01), ghi rõ tên, mã hiệu tài liệu, vị trí và nội dung đề nghị sửa đổi, "
        "lý do sửa đổi, gửi Thư ký ISO.",
        "b) Xem xét đề nghị: Đại diện lãnh đạo xem xét trong 03 ngày làm việc; nếu không đồng "
        "ý phải ghi rõ lý do trên phiếu và trả lời người đề nghị; nếu đồng ý thì giao đơn vị "
        "chủ trì biên soạn.",
        "c) Biên soạn: người soạn thảo biên soạn dự thảo theo đúng cấu trúc quy định trong Sổ "
        "tay chất lượng. Mã hiệu tài liệu theo quy ước QT-SGD-xx đối với quy trình, "
        "BM-yy/QT-SGD-xx đối với biểu mẫu thuộc quy trình. Mỗi trang tài liệu có phần đầu trang "
        "gồm mã số, lần ban hành, ngày ban hành và số trang.",
        "d) Xem xét: người xem xét kiểm tra sự phù hợp của dự thảo với yêu cầu của tiêu chuẩn, "
        "quy định của pháp luật và thực tế công việc; ghi ý kiến và chuyển lại người soạn thảo "
        "nếu cần chỉnh sửa. Người soạn thảo không đồng thời là người xem xét hoặc phê duyệt.",
        "e) Phê duyệt: Giám đốc Sở (hoặc Phó Giám đốc được ủy quyền) phê duyệt tài liệu trước "
        "khi ban hành. Tài liệu chỉ có hiệu lực khi đã được phê duyệt.",
        "f) Ban hành và phân phối: Thư ký ISO cập nhật Danh mục tài liệu nội bộ (BM-02/QT-SGD-01), "
        "nhân bản, đóng dấu BẢN KIỂM SOÁT và phân phối tài liệu đến các đơn vị theo Sổ theo dõi "
        "phân phối tài liệu (BM-04/QT-SGD-01); đơn vị nhận ký nhận.",
        "g) Sửa đổi: mỗi lần sửa đổi, lần ban hành tăng thêm một đơn vị; nội dung sửa đổi được "
        "ghi vào bảng Theo dõi sửa đổi tài liệu ở trang đầu của tài liệu.",
        "h) Thu hồi tài liệu lỗi thời: khi ban hành lần mới, Thư ký ISO thu hồi các bản cũ; "
        "một bản gốc được lưu lại, đóng dấu HẾT HIỆU LỰC để tránh vô tình sử dụng.",
        "i) Tài liệu có nguồn gốc bên ngoài (văn bản quy phạm pháp luật, văn bản chỉ đạo của cấp "
        "trên) được Văn phòng Sở cập nhật vào Danh mục tài liệu có nguồn gốc bên ngoài "
        "(BM-03/QT-SGD-01), ghi rõ số, ký hiệu, ngày ban hành, cơ quan ban hành và tình trạng "
        "hiệu lực; hằng quý rà soát tình trạng hiệu lực của các văn bản này.",
    ]
    if revision >= 2:
        explanation[5] = (
            "f) Ban hành và phân phối: Thư ký ISO cập nhật Danh mục tài liệu nội bộ "
            "(BM-02/QT-SGD-01) và phân phối tài liệu bằng bản điện tử trên hệ thống quản lý tài "
            "liệu của Sở; cán bộ, công chức đọc và xác nhận đã đọc trên hệ thống. Bản in từ hệ "
            "thống mang dấu BẢN KIỂM SOÁT hoặc dòng chữ Bản không kiểm soát khi in; đơn vị nhận "
            "bản giấy ký nhận vào Sổ theo dõi phân phối tài liệu (BM-04/QT-SGD-01)."
        )
        explanation.append(
            "k) Xem xét định kỳ: mỗi tài liệu được đơn vị chủ trì xem xét ít nhất 12 tháng một "
            "lần để xác nhận còn phù hợp hoặc đề nghị sửa đổi; khi văn bản pháp luật liên quan "
            "thay đổi, tài liệu phải được cập nhật trong vòng 03 tháng."
        )
    records = [
        ("1", "Phiếu đề nghị sửa đổi tài liệu", "Văn phòng Sở", "03 năm"),
        ("2", "Danh mục tài liệu nội bộ", "Văn phòng Sở", "Đến khi có bản thay thế"),
        (
            "3",
            "Danh mục tài liệu có nguồn gốc bên ngoài",
            "Văn phòng Sở",
            "Đến khi có bản thay thế",
        ),
        ("4", "Sổ theo dõi phân phối tài liệu", "Văn phòng Sở", "03 năm"),
        ("5", "Bản gốc tài liệu hết hiệu lực", "Văn phòng Sở", "05 năm"),
    ]
    if revision >= 2:
        records.append(("6", "Biên bản xem xét định kỳ tài liệu", "Văn phòng Sở", "03 năm"))
    return procedure(
        purpose=(
            "Quy trình kiểm soát tài liệu này quy định thống nhất cách thức biên soạn, xem xét, "
            "phê duyệt, ban hành, phân phối, sửa đổi và thu hồi tài liệu thuộc hệ thống quản lý "
            "chất lượng của Sở Giáo dục và Đào tạo tỉnh Hòa Bình, nhằm bảo đảm mọi tài liệu được "
            "phê duyệt trước khi ban hành, luôn sẵn có đúng phiên bản tại nơi sử dụng, rõ ràng, "
            "dễ nhận biết, và ngăn ngừa việc vô tình sử dụng tài liệu lỗi thời.",
        ),
        scope=(
            "Quy trình kiểm soát tài liệu áp dụng đối với toàn bộ tài liệu nội bộ (sổ tay chất "
            "lượng, chính sách, mục tiêu chất lượng, quy trình, hướng dẫn, biểu mẫu) và tài liệu "
            "có nguồn gốc bên ngoài thuộc HTQLCL của cơ quan Sở; áp dụng cho Văn phòng Sở, các "
            "phòng chức năng, chuyên môn, nghiệp vụ thuộc Sở. Các Phòng GD&ĐT áp dụng các tài "
            "liệu chung của Sở có phạm vi áp dụng toàn tỉnh.",
        ),
        definitions=(
            "- Tài liệu: thông tin và phương tiện hỗ trợ thông tin, ở dạng giấy hoặc điện tử.",
            "- Tài liệu nội bộ: tài liệu do Sở biên soạn và ban hành để áp dụng trong HTQLCL.",
            "- Tài liệu có nguồn gốc bên ngoài: văn bản quy phạm pháp luật, văn bản chỉ đạo, "
            "hướng dẫn của cơ quan cấp trên và các tiêu chuẩn được sử dụng trong HTQLCL.",
            "- Bản kiểm soát: bản tài liệu được đóng dấu kiểm soát, được cập nhật khi có sửa đổi.",
        ),
        steps=(
            ("1", "CBCC có đề nghị", "Lập phiếu đề nghị biên soạn, sửa đổi", "BM-01/QT-SGD-01"),
            ("2", "Đại diện lãnh đạo", "Xem xét đề nghị, giao đơn vị chủ trì", "BM-01/QT-SGD-01"),
            ("3", "Người soạn thảo", "Biên soạn dự thảo tài liệu", "Dự thảo"),
            ("4", "Người xem xét", "Xem xét nội dung dự thảo", "Dự thảo có ý kiến"),
            ("5", "Giám đốc Sở", "Phê duyệt ban hành", "Tài liệu đã phê duyệt"),
            ("6", "Thư ký ISO", "Đăng ký, phân phối tài liệu", "BM-02, BM-04/QT-SGD-01"),
            ("7", "Thư ký ISO", "Thu hồi, lưu bản gốc tài liệu lỗi thời", "Bản gốc hết hiệu lực"),
        ),
        explanation=tuple(explanation),
        forms=(
            ("1", "Phiếu đề nghị sửa đổi tài liệu", "BM-01/QT-SGD-01"),
            ("2", "Danh mục tài liệu nội bộ", "BM-02/QT-SGD-01"),
            ("3", "Danh mục tài liệu có nguồn gốc bên ngoài", "BM-03/QT-SGD-01"),
            ("4", "Sổ theo dõi phân phối tài liệu", "BM-04/QT-SGD-01"),
        ),
        records=tuple(records),
    )


# --- QT-SGD-02 -------------------------------------------------------------------------------


def records_control(revision: int) -> tuple[Section, ...]:
    """QT-SGD-02 Quy trình kiểm soát hồ sơ (4.2.4)."""
    return procedure(
        purpose=(
            "Quy định cách thức nhận biết, bảo quản, bảo vệ, sử dụng, xác định thời gian lưu giữ "
            "và hủy bỏ hồ sơ của HTQLCL, bảo đảm hồ sơ luôn rõ ràng, dễ nhận biết, dễ sử dụng và "
            "cung cấp bằng chứng về sự phù hợp với các yêu cầu.",
        ),
        scope=(
            "Áp dụng đối với tất cả hồ sơ phát sinh trong quá trình thực hiện các quy trình của "
            "HTQLCL tại Văn phòng Sở và các phòng chức năng, chuyên môn, nghiệp vụ thuộc Sở.",
        ),
        references=("- Luật Lưu trữ và các văn bản hướng dẫn về thời hạn bảo quản hồ sơ.",),
        definitions=(
            "- Hồ sơ: tài liệu công bố các kết quả đạt được hay cung cấp bằng chứng về các hoạt "
            "động được thực hiện.",
            "- Danh mục hồ sơ: danh sách các loại hồ sơ của đơn vị với nơi lưu, người chịu trách "
            "nhiệm, thời gian lưu và phương pháp hủy.",
        ),
        steps=(
            ("1", "Trưởng các phòng", "Lập danh mục hồ sơ của đơn vị", "BM-01/QT-SGD-02"),
            ("2", "CBCC được giao", "Thu thập, cập nhật hồ sơ", "Hồ sơ công việc"),
            ("3", "CBCC được giao", "Bảo quản, sắp xếp, cho mượn hồ sơ", "BM-02/QT-SGD-02"),
            ("4", "Văn phòng Sở", "Tiếp nhận hồ sơ nộp lưu trữ cơ quan", "Biên bản giao nhận"),
            ("5", "Hội đồng hủy hồ sơ", "Hủy hồ sơ hết thời gian lưu", "BM-03/QT-SGD-02"),
        ),
        explanation=(
            "a) Đầu mỗi năm, trưởng các phòng lập Danh mục hồ sơ (BM-01/QT-SGD-02), ghi rõ tên hồ "
            "sơ, người lưu, nơi lưu, thời gian lưu và phương pháp hủy; gửi Văn phòng Sở tổng hợp.",
            "b) Hồ sơ được lưu trong cặp, hộp có nhãn ghi tên hồ sơ, mã quy trình và năm; hồ sơ "
            "điện tử được lưu theo cấu trúc thư mục thống nhất và sao lưu định kỳ hằng tháng.",
            "c) Việc cho mượn hồ sơ phải được trưởng phòng đồng ý và ghi vào Sổ theo dõi mượn hồ "
            "sơ (BM-02/QT-SGD-02); hồ sơ mật thực hiện theo quy định về bảo vệ bí mật nhà nước.",
            "d) Hồ sơ hết thời gian lưu được lập danh sách đề nghị hủy, Giám đốc Sở quyết định "
            "thành lập hội đồng; việc hủy được lập biên bản (BM-03/QT-SGD-02).",
        ),
        forms=(
            ("1", "Danh mục hồ sơ", "BM-01/QT-SGD-02"),
            ("2", "Sổ theo dõi mượn hồ sơ", "BM-02/QT-SGD-02"),
            ("3", "Biên bản hủy hồ sơ", "BM-03/QT-SGD-02"),
        ),
        records=(
            ("1", "Danh mục hồ sơ các phòng", "Văn phòng Sở", "Đến khi có bản thay thế"),
            ("2", "Sổ theo dõi mượn hồ sơ", "Các phòng", "03 năm"),
            ("3", "Biên bản hủy hồ sơ", "Văn phòng Sở", "Vĩnh viễn"),
        ),
    )


# --- QT-SGD-03 -------------------------------------------------------------------------------


def internal_audit(revision: int) -> tuple[Section, ...]:
    """QT-SGD-03 Quy trình đánh giá nội bộ (8.2.2)."""
    return procedure(
        purpose=(
            "Quy định trình tự lập chương trình, kế hoạch, tiến hành đánh giá nội bộ và báo cáo "
            "kết quả nhằm xác định HTQLCL có phù hợp với các hoạt động đã hoạch định, với yêu "
            "cầu của tiêu chuẩn TCVN ISO 9001:2008 và được áp dụng, duy trì có hiệu lực hay không.",
        ),
        scope=(
            "Áp dụng cho mọi cuộc đánh giá nội bộ tại cơ quan Sở và các cuộc đánh giá việc áp "
            "dụng HTQLCL tại các Phòng GD&ĐT do Sở tổ chức.",
        ),
        definitions=(
            "- Đánh giá nội bộ: quá trình có hệ thống, độc lập, được lập thành văn bản để nhận "
            "được bằng chứng đánh giá và xem xét, đánh giá chúng một cách khách quan.",
            "- Điểm không phù hợp: sự không đáp ứng một yêu cầu; điểm lưu ý: vấn đề có nguy cơ "
            "dẫn đến không phù hợp.",
            "- ĐGV: Đánh giá viên nội bộ; TĐĐG: Trưởng đoàn đánh giá.",
        ),
        steps=(
            ("1", "Đại diện lãnh đạo", "Lập chương trình đánh giá năm", "BM-01/QT-SGD-03"),
            ("2", "Trưởng đoàn đánh giá", "Lập kế hoạch đánh giá, thông báo", "BM-02/QT-SGD-03"),
            ("3", "Đoàn đánh giá", "Chuẩn bị danh mục kiểm tra", "BM-03/QT-SGD-03"),
            ("4", "Đoàn đánh giá", "Họp khai mạc, đánh giá tại đơn vị", "Phiếu ghi chép"),
            ("5", "Trưởng đoàn đánh giá", "Họp kết thúc, lập báo cáo", "BM-04/QT-SGD-03"),
            ("6", "Đơn vị được đánh giá", "Khắc phục điểm không phù hợp", "QT-SGD-05"),
        ),
        explanation=(
            "a) Đánh giá nội bộ được thực hiện ít nhất một lần trong năm, bao trùm tất cả các quá "
            "trình và các điều khoản của tiêu chuẩn; các quá trình có nhiều điểm không phù hợp "
            "được đánh giá với tần suất cao hơn.",
            "b) Đánh giá viên phải qua đào tạo về đánh giá nội bộ và không đánh giá công việc "
            "của chính mình hoặc của đơn vị mình công tác, nhằm bảo đảm tính khách quan.",
            "c) Kế hoạch đánh giá được gửi đơn vị được đánh giá ít nhất 05 ngày làm việc trước "
            "ngày đánh giá, nêu rõ phạm vi, chuẩn mực, thời gian và thành phần đoàn.",
            "d) Phát hiện được phân loại: điểm không phù hợp nặng, điểm không phù hợp nhẹ, điểm "
            "lưu ý, cơ hội cải tiến; mỗi điểm không phù hợp được ghi vào Phiếu yêu cầu hành động "
            "khắc phục (BM-01/QT-SGD-05).",
            "e) Báo cáo đánh giá được trình Đại diện lãnh đạo trong 05 ngày làm việc sau khi kết "
            "thúc đánh giá và là đầu vào của cuộc họp xem xét của lãnh đạo.",
        ),
        forms=(
            ("1", "Chương trình đánh giá nội bộ năm", "BM-01/QT-SGD-03"),
            ("2", "Kế hoạch đánh giá nội bộ", "BM-02/QT-SGD-03"),
            ("3", "Danh mục kiểm tra (phiếu ghi chép)", "BM-03/QT-SGD-03"),
            ("4", "Báo cáo đánh giá nội bộ", "BM-04/QT-SGD-03"),
        ),
        records=(
            ("1", "Chương trình, kế hoạch đánh giá", "Văn phòng Sở", "03 năm"),
            ("2", "Danh mục kiểm tra đã ghi chép", "Văn phòng Sở", "03 năm"),
            ("3", "Báo cáo đánh giá nội bộ", "Văn phòng Sở", "05 năm"),
        ),
    )


# --- QT-SGD-04 -------------------------------------------------------------------------------


def nonconforming_output(revision: int) -> tuple[Section, ...]:
    """QT-SGD-04 Quy trình kiểm soát sản phẩm không phù hợp (8.3)."""
    return procedure(
        purpose=(
            "Bảo đảm các kết quả giải quyết công việc (văn bản, hồ sơ thủ tục hành chính, kết "
            "quả xử lý) không phù hợp với yêu cầu được nhận biết và kiểm soát để ngăn ngừa việc "
            "chuyển cho tổ chức, cá nhân hoặc sử dụng ngoài dự kiến.",
        ),
        scope=(
            "Áp dụng đối với mọi sản phẩm, kết quả giải quyết công việc của các phòng thuộc Sở "
            "được phát hiện không phù hợp trước hoặc sau khi chuyển giao.",
        ),
        definitions=(
            "- Sản phẩm không phù hợp: kết quả giải quyết công việc không đáp ứng yêu cầu về nội "
            "dung, thể thức, thời hạn hoặc quy định của pháp luật.",
            "- Khắc phục tức thời (sửa chữa): hành động loại bỏ sự không phù hợp đã phát hiện.",
        ),
        steps=(
            (
                "1",
                "CBCC phát hiện",
                "Nhận biết, ghi nhận sản phẩm không phù hợp",
                "BM-01/QT-SGD-04",
            ),
            ("2", "Trưởng phòng", "Xem xét, quyết định cách xử lý", "BM-01/QT-SGD-04"),
            ("3", "CBCC thụ lý", "Sửa chữa, làm lại hoặc thu hồi kết quả", "Kết quả đã sửa"),
            ("4", "Trưởng phòng", "Kiểm tra lại kết quả sau xử lý", "BM-01/QT-SGD-04"),
            ("5", "Thư ký ISO", "Tổng hợp, báo cáo định kỳ", "BM-02/QT-SGD-04"),
        ),
        explanation=(
            "a) Sản phẩm không phù hợp có thể được phát hiện khi kiểm tra nội bộ, qua phản ánh "
            "của tổ chức, cá nhân hoặc qua đánh giá nội bộ.",
            "b) Cách xử lý: sửa chữa, làm lại; thu hồi văn bản đã phát hành và ban hành văn bản "
            "thay thế; thông báo, xin lỗi tổ chức, cá nhân khi kết quả đã được chuyển giao.",
            "c) Khi sự không phù hợp lặp lại hoặc nghiêm trọng, trưởng phòng đề nghị hành động "
            "khắc phục theo QT-SGD-05.",
        ),
        forms=(
            ("1", "Phiếu theo dõi sản phẩm không phù hợp", "BM-01/QT-SGD-04"),
            ("2", "Sổ tổng hợp sản phẩm không phù hợp", "BM-02/QT-SGD-04"),
        ),
        records=(
            ("1", "Phiếu theo dõi sản phẩm không phù hợp", "Các phòng", "03 năm"),
            ("2", "Sổ tổng hợp sản phẩm không phù hợp", "Văn phòng Sở", "03 năm"),
        ),
    )


# --- QT-SGD-05 -------------------------------------------------------------------------------


def corrective_action(revision: int) -> tuple[Section, ...]:
    """QT-SGD-05 Quy trình hành động khắc phục (8.5.2)."""
    return procedure(
        purpose=(
            "Quy định cách thức xem xét sự không phù hợp, xác định nguyên nhân, đề ra và thực "
            "hiện hành động khắc phục, kiểm tra hiệu lực của hành động nhằm loại bỏ nguyên nhân "
            "để sự không phù hợp không tái diễn.",
        ),
        scope=(
            "Áp dụng đối với các điểm không phù hợp phát hiện qua đánh giá nội bộ, đánh giá của "
            "tổ chức chứng nhận, xem xét của lãnh đạo, khiếu nại, phản ánh của tổ chức, cá nhân.",
        ),
        definitions=(
            "- Hành động khắc phục: hành động loại bỏ nguyên nhân của sự không phù hợp đã được "
            "phát hiện để ngăn ngừa việc tái diễn.",
            "- CAR: Phiếu yêu cầu hành động khắc phục.",
        ),
        steps=(
            ("1", "Người phát hiện", "Lập phiếu yêu cầu hành động khắc phục", "BM-01/QT-SGD-05"),
            ("2", "Đơn vị liên quan", "Xác định nguyên nhân gốc rễ", "BM-01/QT-SGD-05"),
            ("3", "Trưởng đơn vị", "Đề xuất biện pháp, thời hạn hoàn thành", "BM-01/QT-SGD-05"),
            ("4", "Đại diện lãnh đạo", "Phê duyệt biện pháp khắc phục", "BM-01/QT-SGD-05"),
            ("5", "Đơn vị liên quan", "Thực hiện hành động khắc phục", "Bằng chứng thực hiện"),
            ("6", "Đánh giá viên", "Kiểm tra, xác nhận hiệu lực", "BM-01/QT-SGD-05"),
            ("7", "Thư ký ISO", "Cập nhật sổ theo dõi hành động khắc phục", "BM-02/QT-SGD-05"),
        ),
        explanation=(
            "a) Nguyên nhân được phân tích bằng phương pháp hỏi tại sao (5 lần) hoặc theo các "
            "nhóm nguyên nhân: con người, phương pháp, tài liệu, trang thiết bị, môi trường.",
            "b) Thời hạn hoàn thành hành động khắc phục không quá 30 ngày kể từ ngày phê duyệt, "
            "trừ trường hợp Đại diện lãnh đạo đồng ý gia hạn.",
            "c) Sau thời hạn, đánh giá viên kiểm tra bằng chứng; nếu hành động không có hiệu lực "
            "thì phiếu được mở lại và đơn vị phải đề xuất biện pháp mới.",
            "d) Kết quả hành động khắc phục là đầu vào của cuộc họp xem xét của lãnh đạo.",
        ),
        forms=(
            ("1", "Phiếu yêu cầu hành động khắc phục", "BM-01/QT-SGD-05"),
            ("2", "Sổ theo dõi hành động khắc phục, phòng ngừa", "BM-02/QT-SGD-05"),
        ),
        records=(
            ("1", "Phiếu yêu cầu hành động khắc phục", "Văn phòng Sở", "03 năm"),
            ("2", "Sổ theo dõi hành động khắc phục, phòng ngừa", "Văn phòng Sở", "03 năm"),
        ),
    )


# --- QT-SGD-06 -------------------------------------------------------------------------------


def preventive_action(revision: int) -> tuple[Section, ...]:
    """QT-SGD-06 Quy trình hành động phòng ngừa (8.5.3)."""
    return procedure(
        purpose=(
            "Quy định cách thức nhận biết sự không phù hợp tiềm ẩn, xác định nguyên nhân và thực "
            "hiện hành động phòng ngừa để ngăn chặn sự không phù hợp xảy ra.",
        ),
        scope=(
            "Áp dụng đối với các nguy cơ không phù hợp nhận biết được từ phân tích dữ liệu, kết "
            "quả khảo sát sự hài lòng, điểm lưu ý trong đánh giá và ý kiến của cán bộ, công chức.",
        ),
        definitions=(
            "- Hành động phòng ngừa: hành động loại bỏ nguyên nhân của sự không phù hợp tiềm ẩn.",
        ),
        steps=(
            ("1", "CBCC, các phòng", "Nhận biết sự không phù hợp tiềm ẩn", "BM-01/QT-SGD-06"),
            ("2", "Trưởng đơn vị", "Phân tích nguyên nhân, đề xuất biện pháp", "BM-01/QT-SGD-06"),
            ("3", "Đại diện lãnh đạo", "Phê duyệt biện pháp phòng ngừa", "BM-01/QT-SGD-06"),
            ("4", "Đơn vị liên quan", "Thực hiện hành động phòng ngừa", "Bằng chứng thực hiện"),
            ("5", "Thư ký ISO", "Theo dõi, xác nhận kết quả", "BM-02/QT-SGD-05"),
        ),
        explanation=(
            "a) Hằng quý, Văn phòng Sở tổng hợp dữ liệu về thời hạn giải quyết hồ sơ, phản ánh "
            "của tổ chức, cá nhân và kết quả thực hiện mục tiêu chất lượng để nhận biết xu hướng "
            "có thể dẫn đến sự không phù hợp.",
            "b) Biện pháp phòng ngừa được lựa chọn tương xứng với tác động của vấn đề tiềm ẩn; "
            "kết quả được ghi vào Sổ theo dõi hành động khắc phục, phòng ngừa.",
        ),
        forms=(("1", "Phiếu đề xuất hành động phòng ngừa", "BM-01/QT-SGD-06"),),
        records=(
            ("1", "Phiếu đề xuất hành động phòng ngừa", "Văn phòng Sở", "03 năm"),
            ("2", "Sổ theo dõi hành động khắc phục, phòng ngừa", "Văn phòng Sở", "03 năm"),
        ),
    )


# --- QT-LS-01 (Phòng GD&ĐT Lương Sơn) ---------------------------------------------------------


def one_stop_shop_luong_son(revision: int) -> tuple[Section, ...]:
    """QT-LS-01: receiving and settling administrative files at the one-stop counter; public."""
    return procedure(
        purpose=(
            "Quy định trình tự tiếp nhận, thụ lý, giải quyết và trả kết quả hồ sơ thủ tục hành "
            "chính thuộc thẩm quyền của Phòng Giáo dục và Đào tạo huyện Lương Sơn tại bộ phận "
            "tiếp nhận và trả kết quả (bộ phận một cửa), bảo đảm công khai, minh bạch, đúng thời "
            "hạn và thuận tiện cho tổ chức, cá nhân.",
        ),
        scope=(
            "Áp dụng đối với các thủ tục hành chính thuộc lĩnh vực giáo dục và đào tạo do Phòng "
            "GD&ĐT huyện Lương Sơn giải quyết: công nhận trường đạt chuẩn, cho phép hoạt động "
            "nhóm trẻ, lớp mẫu giáo độc lập, chuyển trường đối với học sinh trung học cơ sở, "
            "cấp bản sao văn bằng, chứng chỉ từ sổ gốc và các thủ tục khác được công bố.",
        ),
        references=(
            "- Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục "
            "hành chính.",
            "- Quyết định số 49/QĐ-UBND ngày 13/01/2009 của UBND tỉnh Hòa Bình ban hành quy định "
            "thực hiện cơ chế một cửa, một cửa liên thông.",
        ),
        definitions=(
            "- Bộ phận một cửa: bộ phận tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành "
            "chính của Phòng GD&ĐT.",
            "- Phiếu hẹn: giấy biên nhận hồ sơ ghi ngày trả kết quả.",
        ),
        steps=(
            ("1", "Bộ phận một cửa", "Hướng dẫn, tiếp nhận, kiểm tra hồ sơ", "BM-01/QT-LS-01"),
            ("2", "Bộ phận một cửa", "Viết phiếu hẹn, vào sổ theo dõi", "BM-02/QT-LS-01"),
            ("3", "Chuyên viên thụ lý", "Thẩm định hồ sơ, dự thảo kết quả", "Dự thảo"),
            ("4", "Trưởng phòng", "Ký duyệt kết quả giải quyết", "Kết quả giải quyết"),
            ("5", "Bộ phận một cửa", "Trả kết quả, thu phí (nếu có)", "BM-02/QT-LS-01"),
        ),
        explanation=(
            "a) Hồ sơ đầy đủ, hợp lệ thì viết phiếu hẹn; hồ sơ chưa đầy đủ thì hướng dẫn một lần, "
            "bằng văn bản, để tổ chức, cá nhân bổ sung; không yêu cầu thêm giấy tờ ngoài quy định.",
            "b) Trường hợp giải quyết quá hạn, Phòng GD&ĐT có văn bản xin lỗi và hẹn lại ngày "
            "trả kết quả.",
            "c) Thủ tục, thành phần hồ sơ, thời hạn và phí, lệ phí được niêm yết công khai tại bộ "
            "phận một cửa và trên trang thông tin điện tử của huyện.",
            "d) Hằng quý lấy ý kiến tổ chức, cá nhân về mức độ hài lòng; mục tiêu trên 80% ý kiến "
            "hài lòng.",
        ),
        forms=(
            ("1", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "BM-01/QT-LS-01"),
            ("2", "Sổ theo dõi hồ sơ", "BM-02/QT-LS-01"),
        ),
        records=(
            ("1", "Sổ theo dõi hồ sơ", "Bộ phận một cửa", "05 năm"),
            ("2", "Hồ sơ thủ tục hành chính đã giải quyết", "Chuyên viên thụ lý", "05 năm"),
        ),
    )
