"""``manage.py seed_demo [--if-empty]``: load the demo organisation, people and documents."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.demo.seed import seed_demo
from qms.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: Sở GD&ĐT Hòa Bình, 11 Phòng GD&ĐT, người dùng mẫu và tài liệu "
        "HTQLCL năm 2012. Chạy lại nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có đơn vị (dùng khi khởi động `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu đơn vị: bỏ qua việc nạp dữ liệu mẫu.")
            return
        started = time.monotonic()
        report = seed_demo()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu trong {elapsed:.1f} giây: thêm {report.units} đơn vị, "
                f"{report.users} người dùng, {report.memberships} phân công vai trò, "
                f"{report.documents} tài liệu, {report.revisions} lần ban hành, "
                f"{report.audits} cuộc đánh giá."
            )
        )
        self.stdout.write(f"Mật khẩu của mọi tài khoản mẫu: {settings.QMS_DEMO_PASSWORD}")
        self.stdout.write("Tên đăng nhập: " + ", ".join(report.logins))
