from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from documents import files
from qms import access


class ControlledDocumentForm(WagtailAdminModelForm):
    """The admin form: limits units to where the user may draft, checks and analyses the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "unit" in self.fields:
            self.fields["unit"].queryset = access.creatable_units(self.for_user)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            files.validate_upload(uploaded)
        return uploaded

    def save(self, commit=True):
        if "file" in self.changed_data and self.instance.file:
            files.analyse_into(self.instance)
        return super().save(commit=commit)
