"""Load the TCVN ISO 9001:2008 clause catalogue (sections 4–8) with Vietnamese titles."""

from django.db import migrations

CLAUSES = [
    ("4", "Hệ thống quản lý chất lượng"),
    ("4.1", "Yêu cầu chung"),
    ("4.2", "Yêu cầu về hệ thống tài liệu"),
    ("4.2.1", "Khái quát"),
    ("4.2.2", "Sổ tay chất lượng"),
    ("4.2.3", "Kiểm soát tài liệu"),
    ("4.2.4", "Kiểm soát hồ sơ"),
    ("5", "Trách nhiệm của lãnh đạo"),
    ("5.1", "Cam kết của lãnh đạo"),
    ("5.2", "Hướng vào khách hàng"),
    ("5.3", "Chính sách chất lượng"),
    ("5.4", "Hoạch định"),
    ("5.4.1", "Mục tiêu chất lượng"),
    ("5.4.2", "Hoạch định hệ thống quản lý chất lượng"),
    ("5.5", "Trách nhiệm, quyền hạn và trao đổi thông tin"),
    ("5.5.1", "Trách nhiệm và quyền hạn"),
    ("5.5.2", "Đại diện của lãnh đạo"),
    ("5.5.3", "Trao đổi thông tin nội bộ"),
    ("5.6", "Xem xét của lãnh đạo"),
    ("5.6.1", "Khái quát"),
    ("5.6.2", "Đầu vào của việc xem xét"),
    ("5.6.3", "Đầu ra của việc xem xét"),
    ("6", "Quản lý nguồn lực"),
    ("6.1", "Cung cấp nguồn lực"),
    ("6.2", "Nguồn nhân lực"),
    ("6.2.1", "Khái quát"),
    ("6.2.2", "Năng lực, đào tạo và nhận thức"),
    ("6.3", "Cơ sở hạ tầng"),
    ("6.4", "Môi trường làm việc"),
    ("7", "Tạo sản phẩm"),
    ("7.1", "Hoạch định việc tạo sản phẩm"),
    ("7.2", "Các quá trình liên quan đến khách hàng"),
    ("7.2.1", "Xác định các yêu cầu liên quan đến sản phẩm"),
    ("7.2.2", "Xem xét các yêu cầu liên quan đến sản phẩm"),
    ("7.2.3", "Trao đổi thông tin với khách hàng"),
    ("7.3", "Thiết kế và phát triển"),
    ("7.3.1", "Hoạch định thiết kế và phát triển"),
    ("7.3.2", "Đầu vào của thiết kế và phát triển"),
    ("7.3.3", "Đầu ra của thiết kế và phát triển"),
    ("7.3.4", "Xem xét thiết kế và phát triển"),
    ("7.3.5", "Kiểm tra xác nhận thiết kế và phát triển"),
    ("7.3.6", "Xác nhận giá trị sử dụng của thiết kế và phát triển"),
    ("7.3.7", "Kiểm soát thay đổi thiết kế và phát triển"),
    ("7.4", "Mua hàng"),
    ("7.4.1", "Quá trình mua hàng"),
    ("7.4.2", "Thông tin mua hàng"),
    ("7.4.3", "Kiểm tra xác nhận sản phẩm mua vào"),
    ("7.5", "Sản xuất và cung cấp dịch vụ"),
    ("7.5.1", "Kiểm soát sản xuất và cung cấp dịch vụ"),
    ("7.5.2", "Xác nhận giá trị sử dụng của các quá trình sản xuất và cung cấp dịch vụ"),
    ("7.5.3", "Nhận biết và xác định nguồn gốc"),
    ("7.5.4", "Tài sản của khách hàng"),
    ("7.5.5", "Bảo toàn sản phẩm"),
    ("7.6", "Kiểm soát thiết bị theo dõi và đo lường"),
    ("8", "Đo lường, phân tích và cải tiến"),
    ("8.1", "Khái quát"),
    ("8.2", "Theo dõi và đo lường"),
    ("8.2.1", "Sự thỏa mãn của khách hàng"),
    ("8.2.2", "Đánh giá nội bộ"),
    ("8.2.3", "Theo dõi và đo lường các quá trình"),
    ("8.2.4", "Theo dõi và đo lường sản phẩm"),
    ("8.3", "Kiểm soát sản phẩm không phù hợp"),
    ("8.4", "Phân tích dữ liệu"),
    ("8.5", "Cải tiến"),
    ("8.5.1", "Cải tiến thường xuyên"),
    ("8.5.2", "Hành động khắc phục"),
    ("8.5.3", "Hành động phòng ngừa"),
]


def sort_key(number):
    return ".".join(f"{int(part):03d}" for part in number.split("."))


def load(apps, schema_editor):
    IsoClause = apps.get_model("qms", "IsoClause")
    by_number = {}
    for number, title in CLAUSES:
        parent = by_number.get(number.rsplit(".", 1)[0]) if "." in number else None
        clause, _ = IsoClause.objects.update_or_create(
            number=number, defaults={"title": title, "parent": parent, "sort_key": sort_key(number)}
        )
        by_number[number] = clause


def unload(apps, schema_editor):
    apps.get_model("qms", "IsoClause").objects.filter(number__in=[n for n, _ in CLAUSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("qms", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
