"""``manage.py qms_daily``: the jobs the QMS runs once a day (cron / systemd timer).

Each job is a named function in ``DAILY_JOBS``; later work (review reminders, overdue actions)
appends its own. A job that fails is reported and the others still run; the command then exits
with an error so the scheduler notices.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audits.daily import overdue_actions_job
from documents.lifecycle import bring_into_force
from documents.review import review_reminders_job


@dataclass(frozen=True)
class DailyJob:
    name: str
    label: str
    run: Callable[[datetime.date], str]


def publish_scheduled(today: datetime.date) -> str:
    """Wagtail's scheduled publishing: approved revisions whose go_live_at has come go live."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip() or "xong"


def bring_revisions_into_force(today: datetime.date) -> str:
    """Approved revisions whose effective date has come become current in the register."""
    switched = bring_into_force(today)
    if not switched:
        return "không có lần ban hành nào đến ngày hiệu lực"
    return "; ".join(f"{r.code} lần {r.number_label}" for r in switched)


DAILY_JOBS: list[DailyJob] = [
    DailyJob("publish_scheduled", "Xuất bản theo lịch", publish_scheduled),
    DailyJob("bring_into_force", "Đưa lần ban hành vào hiệu lực", bring_revisions_into_force),
    DailyJob(
        "escalate_overdue_actions",
        "Nhắc hành động khắc phục, phòng ngừa quá hạn",
        overdue_actions_job,
    ),
    DailyJob("review_reminders", "Nhắc xem xét định kỳ tài liệu", review_reminders_job),
]


class Command(BaseCommand):
    help = "Chạy các công việc hằng ngày của HTQLCL (xuất bản theo lịch, hiệu lực tài liệu, ...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=[job.name for job in DAILY_JOBS],
            help="Chỉ chạy công việc này (có thể lặp lại).",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Ngày xử lý (YYYY-MM-DD), mặc định hôm nay.",
        )

    def handle(self, *args, only=None, date=None, **options):
        today = date or timezone.localdate()
        failed = []
        for job in DAILY_JOBS:
            if only and job.name not in only:
                continue
            try:
                result = job.run(today)
            except Exception as exc:  # one broken job must not stop the others
                failed.append(job.name)
                self.stderr.write(f"✗ {job.label}: {exc!r}")
            else:
                self.stdout.write(f"✓ {job.label}: {result}")
        if failed:
            raise CommandError(f"Công việc lỗi: {', '.join(failed)}")
