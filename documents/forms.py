"""The Wagtail admin form of a controlled document."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm

from documents import files
from qms import access

ACCEPTED_TYPES = (
    ".pdf,.docx,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


class DocumentFileInput(forms.FileInput):
    """A file input that names the current file and links to the permission-checked view.

    Django's ClearableFileInput links to ``storage.url()``, which private storage refuses (the
    files have no public address); and a controlled document's file is replaced, never just
    removed, so there is no "clear" box either.
    """

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        document = self.document
        if document is None or document.pk is None or not document.file:
            return field
        size = filesizeformat(document.file_size) if document.file_size else ""
        pages = f", {document.page_count} trang" if document.page_count else ""
        return format_html(
            '<div class="qms-current-file help">'
            '<p>Tệp hiện tại: <a href="{}" target="_blank" rel="noopener">{}</a> ({}{})</p>'
            "<p>Kết quả đọc tệp: <strong>{}</strong></p>"
            "<p>Chọn tệp khác để thay thế.</p></div>{}",
            reverse("documents:file", args=[document.pk]),
            document.file_name or document.file.name.rsplit("/", 1)[-1],
            size,
            pages,
            files.outcome_message(document),
            field,
        )


class ControlledDocumentForm(WagtailAdminModelForm):
    """The admin form: limits units to where the user may draft, checks and analyses the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "unit" in self.fields:
            self.fields["unit"].queryset = access.creatable_units(self.for_user)
        if "file" in self.fields:
            field = self.fields["file"]
            field.widget = DocumentFileInput(
                attrs={"accept": ACCEPTED_TYPES}, document=self.instance
            )
            field.help_text = (
                f"PDF hoặc Word (.docx), tối đa {files.max_upload_bytes() // 1048576} MB. "
                "Tệp Word cũ (.doc) cần lưu lại thành .docx trước khi tải lên."
            )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):  # a new upload, not the stored file
            files.validate_upload(uploaded)
        return uploaded

    def save(self, commit=True):
        document = self.instance
        if "file" in self.changed_data and document.file and not document.file._committed:
            # Storing the upload is left to the model save, or for a live document's draft to
            # modelcluster, which commits files while serialising the revision.
            files.analyse_into(document)
        return super().save(commit=commit)
