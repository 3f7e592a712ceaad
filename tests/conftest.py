"""The cast: a small organisation and one named user per role and unit.

Names follow the demo data (``<role>.<unit>``):

* Sở GD&ĐT (``sgd``, runs its own QMS) with Văn phòng Sở (``vp``) below it;
* Phòng GD&ĐT Lương Sơn (``luongson``) and Phòng GD&ĐT Kim Bôi (``kimboi``), each with its own QMS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from qms.models import Membership, OrgUnit, Role

PASSWORD = "mật-khẩu-thử-nghiệm-2012"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Every test writes its files (and its search index) into its own temporary folder."""
    settings.QMS_PRIVATE_DIR = tmp_path / "private"
    settings.QMS_INDEX_DIR = tmp_path / "index"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: the cast logs in often; the production hasher is tested by Django itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@dataclass
class Org:
    sgd: OrgUnit
    vp: OrgUnit
    luongson: OrgUnit
    kimboi: OrgUnit


@pytest.fixture
def org(db) -> Org:
    sgd = OrgUnit.objects.create(
        name="Sở Giáo dục và Đào tạo tỉnh Hòa Bình",
        short_code="SGD",
        kind=OrgUnit.Kind.DEPARTMENT,
        runs_own_qms=True,
    )
    vp = OrgUnit.objects.create(
        name="Văn phòng Sở", short_code="VP", kind=OrgUnit.Kind.OFFICE, parent=sgd
    )
    luongson = OrgUnit.objects.create(
        name="Phòng GD&ĐT Lương Sơn",
        short_code="LUONGSON",
        kind=OrgUnit.Kind.DISTRICT,
        parent=sgd,
        runs_own_qms=True,
    )
    kimboi = OrgUnit.objects.create(
        name="Phòng GD&ĐT Kim Bôi",
        short_code="KIMBOI",
        kind=OrgUnit.Kind.DISTRICT,
        parent=sgd,
        runs_own_qms=True,
    )
    return Org(sgd=sgd, vp=vp, luongson=luongson, kimboi=kimboi)


CAST = {
    "qm.sgd": ("sgd", Role.QUALITY_MANAGER),
    "controller.sgd": ("sgd", Role.CONTROLLER),
    "approver.sgd": ("sgd", Role.APPROVER),
    "auditor.sgd": ("sgd", Role.AUDITOR),
    "author.vp": ("vp", Role.AUTHOR),
    "reviewer.vp": ("vp", Role.REVIEWER),
    "staff.vp": ("vp", Role.STAFF),
    "author.luongson": ("luongson", Role.AUTHOR),
    "reviewer.luongson": ("luongson", Role.REVIEWER),
    "approver.luongson": ("luongson", Role.APPROVER),
    "controller.luongson": ("luongson", Role.CONTROLLER),
    "staff.luongson": ("luongson", Role.STAFF),
    "auditor.kimboi": ("kimboi", Role.AUDITOR),
    "staff.kimboi": ("kimboi", Role.STAFF),
}


class Cast(dict):
    def __getattr__(self, name):
        try:
            return self[name.replace("_", ".", 1)]
        except KeyError as exc:
            raise AttributeError(name) from exc


@pytest.fixture
def users(org) -> Cast:
    """``users["author.vp"]`` or ``users.author_vp``; everyone's password is ``PASSWORD``."""
    User = get_user_model()
    cast = Cast()
    for username, (unit_attr, role) in CAST.items():
        user = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.vn"
        )
        Membership.objects.create(user=user, unit=getattr(org, unit_attr), role=role)
        cast[username] = user
    cast["outsider"] = User.objects.create_user(username="outsider", password=PASSWORD)
    cast["admin"] = User.objects.create_superuser(
        username="admin", password=PASSWORD, email="admin@example.vn"
    )
    return cast


def make_pdf_bytes(text: str = "Quy trình kiểm soát tài liệu") -> bytes:
    """A small real PDF with Vietnamese text (reportlab + the bundled DejaVu font)."""
    from documents.pdfgen import simple_pdf

    return simple_pdf([text])


@pytest.fixture
def make_document(org):
    """Create a document; ``issued=True`` also records revision 01 in force since 01/08/2012."""

    def factory(
        *,
        unit: OrgUnit,
        code: str,
        title: str = "Quy trình kiểm soát tài liệu",
        kind: str = DocumentKind.PROCEDURE,
        visibility: str = ControlledDocument.Visibility.INTERNAL,
        issued: bool = False,
        applies_to: list[OrgUnit] | None = None,
        text: str | None = None,
    ) -> ControlledDocument:
        document = ControlledDocument(
            unit=unit, code=code, title=title, kind=kind, visibility=visibility, live=False
        )
        content = make_pdf_bytes(text or title)
        document.file.save(f"{code.replace('/', '_')}.pdf", ContentFile(content), save=False)
        document.file_name = f"{code}.pdf"
        document.text = text or title
        document.save()
        if applies_to:
            document.applies_to.set(applies_to)
            document.save()  # ParentalManyToManyField writes on save
        if issued:
            now = timezone.now()
            document.live = True
            document.first_published_at = document.last_published_at = now
            document.save()
            IssuedRevision.objects.create(
                document=document,
                number=1,
                status=IssuedRevision.Status.CURRENT,
                code=document.code,
                title=document.title,
                file=document.file.name,
                file_name=document.file_name,
                approved_by_name="Nguyễn Minh Thành",
                approved_at=now,
                effective_from=datetime.date(2012, 8, 1),
                text=document.text,
            )
        return document

    return factory
