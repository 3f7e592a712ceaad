"""Create (or revoke) a personal API token for the JSON API at /api/v1/.

The token is printed once, alone on stdout, so a script can capture it; only its HMAC digest is
stored (wagtail.models.APIToken). Revoking keeps the row, so the audit trail stays.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import APIToken

DEFAULT_NAME = "Tích hợp qua API"


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API cho một người dùng (in ra một lần duy nhất), "
        "hoặc thu hồi mã bằng --revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập của người dùng.")
        parser.add_argument("--name", default=DEFAULT_NAME, help="Tên gợi nhớ của mã.")
        parser.add_argument(
            "--revoke",
            metavar="PREFIX",
            help="Thu hồi mã của người dùng này có phần đầu PREFIX (hoặc cả mã đầy đủ).",
        )

    def handle(self, *args, username: str, name: str, revoke: str | None, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(f"Không tìm thấy người dùng “{username}”.") from exc
        if revoke is not None:
            self._revoke(user, revoke.strip())
            return
        if not user.is_active:
            raise CommandError(f"Tài khoản “{username}” đã bị khóa; không tạo mã truy cập.")
        name = name.strip()
        if not name:
            raise CommandError("Tên gợi nhớ của mã không được để trống.")
        if len(name) > APIToken._meta.get_field("name").max_length:
            raise CommandError("Tên gợi nhớ của mã quá dài (tối đa 255 ký tự).")
        token, plaintext = APIToken.create_token(user=user, name=name)
        self.stdout.write(plaintext)
        self.stderr.write(
            f"Đã tạo mã “{token.name}” ({token.prefix}…) cho {username}. "
            "Hãy lưu lại ngay: mã chỉ hiển thị một lần. "
            "Gửi kèm tiêu đề: Authorization: Bearer <mã>."
        )

    def _revoke(self, user, given: str) -> None:
        if not given:
            raise CommandError("Cần phần đầu của mã cần thu hồi.")
        active = APIToken.objects.filter(user=user, revoked_at__isnull=True)
        # A full token is matched by its digest, otherwise the whole prefix shown at creation
        # (wagtail_ + 4 characters) must be given: a shorter guess could hit another token.
        matches = list(active.filter(key_hash__in=APIToken.candidate_key_hashes(given)))
        if not matches:
            matches = [token for token in active if given.startswith(token.prefix)]
        if not matches:
            raise CommandError(f"Không có mã đang dùng nào của “{user}” bắt đầu bằng “{given}”.")
        if len(matches) > 1:
            raise CommandError(f"Có {len(matches)} mã bắt đầu bằng “{given}”; hãy nhập cả mã.")
        with transaction.atomic():
            matches[0].revoke()
        self.stderr.write(f"Đã thu hồi mã “{matches[0].name}” ({matches[0].prefix}…) của {user}.")
