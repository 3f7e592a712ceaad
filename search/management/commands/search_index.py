"""``manage.py search_index rebuild|verify|update``: look after the search index.

* ``rebuild`` builds a fresh index from the database beside the live one and swaps it in;
* ``verify`` lists revisions missing from or stale in the index and exits 1 when there are any
  (for monitoring: run it daily after ``qms_daily``);
* ``update`` repairs exactly that drift (or rebuilds when the index is missing or damaged).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchUnavailable, get_backend


class Command(BaseCommand):
    help = "Quản lý chỉ mục tìm kiếm: rebuild (xây lại), verify (kiểm tra), update (cập nhật)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "verify", "update"])
        parser.add_argument(
            "--backend", choices=["whoosh", "postgres"], help="Mặc định: QMS_SEARCH_BACKEND."
        )

    def handle(self, *args, action, backend=None, **options):
        engine = get_backend(backend)
        try:
            if action == "rebuild":
                count = engine.rebuild()
                self.stdout.write(f"Đã xây lại chỉ mục {engine.name}: {count} lần ban hành.")
                return
            drift = engine.verify() if action == "verify" else engine.update()
        except SearchUnavailable as exc:
            raise CommandError(f"Chỉ mục đang bị khóa bởi tiến trình khác: {exc}") from exc
        self._report(drift, engine.name, fixed=action == "update")
        if action == "verify" and not drift.clean:
            raise CommandError("Chỉ mục tìm kiếm không khớp với cơ sở dữ liệu.", returncode=1)

    def _report(self, drift, name, fixed):
        if drift.clean:
            self.stdout.write(f"Chỉ mục {name} khớp với cơ sở dữ liệu.")
            return
        verb = "đã sửa" if fixed else "phát hiện"
        for label, ids in (
            ("thiếu trong chỉ mục", drift.missing),
            ("đã cũ (nội dung khác cơ sở dữ liệu)", drift.stale),
            ("thừa (không còn trong cơ sở dữ liệu)", drift.orphans),
        ):
            if ids:
                shown = ", ".join(map(str, ids[:50])) + (" …" if len(ids) > 50 else "")
                self.stdout.write(f"{verb} {len(ids)} lần ban hành {label}: {shown}")
