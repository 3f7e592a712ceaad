"""Shared steps of the workflow tests: a Lương Sơn procedure taken through the workflow."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.models import APIToken

from documents.workflow import act_on_document, submit_document
from tests.conftest import PASSWORD, make_pdf_bytes


def draft(make_document, org, author, code="QT-LS-01", title="Quy trình tiếp nhận hồ sơ"):
    """A Lương Sơn procedure drafted (one Wagtail revision) by ``author``."""
    document = make_document(unit=org.luongson, code=code, title=title)
    document.change_summary = "Ban hành lần đầu"
    document.save()
    document.save_revision(user=author)
    return document


def new_draft_revision(document, author, summary="Sửa bước 3", text="Quy trình — bản sửa đổi"):
    """An author's next draft of an issued document: a new file in a new Wagtail revision."""
    draft_object = document.get_latest_revision_as_object()
    draft_object.change_summary = summary
    draft_object.file.save("sua-doi.pdf", ContentFile(make_pdf_bytes(text)), save=False)
    draft_object.save_revision(user=author)
    document.refresh_from_db()
    return document


def review(document, reviewer, comment="Đã xem xét, đạt"):
    act_on_document(document, reviewer, "approve", comment=comment)


def approve(document, approver, password=PASSWORD, **extra):
    act_on_document(document, approver, "approve", password=password, **extra)


def issue(document, users, effective_from=None):
    """Draft → submit → review → signed approval, by the Lương Sơn cast."""
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    approve(document, users["approver.luongson"], effective_from=effective_from)
    document.refresh_from_db()
    return document


def bearer(user) -> dict:
    _token, plaintext = APIToken.create_token(user=user, name="thử nghiệm")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
