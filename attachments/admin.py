"""Files in the admin: upload a PDF, see and download the files one may read, and a "Files"
section on every entity's page listing what is attached to it (attach one there with a link
"Attachment For", or from the file's page)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from relations.admin import EntityAdmin, register_entity_section

from . import services
from .downloads import file_response
from .models import MAX_SIZE, PDF, Attachment
from .selectors import attachments_for_display, files_of


class AttachmentAddForm(forms.ModelForm):
    """Upload a PDF; its name defaults to the file's."""

    upload = forms.FileField(label="PDF file", help_text="A PDF of at most 10 MB.")

    class Meta:
        model = Attachment
        fields = ["label"]
        labels = {"label": "Name"}
        help_texts = {"label": "Leave empty to use the file's own name."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_SIZE:
            raise ValidationError(
                f"A file may be at most 10 MB; this one is {filesizeformat(upload.size)}."
            )
        head = upload.read(len(services.PDF_MAGIC))
        upload.seek(0)
        if head != services.PDF_MAGIC:
            raise ValidationError("This file is not a PDF: only PDF files are kept.")
        return upload


@admin.register(Attachment)
class AttachmentAdmin(EntityAdmin):
    list_display = ["label", "size", "uploaded", "created_by", "created"]
    list_select_related = ["created_by"]
    search_fields = ["label", "public_id"]
    ordering = ["-created"]
    readonly_fields = ["label", "content_type", "size", "download", "api_reference", "created"]

    def get_rows(self, request):
        return attachments_for_display().select_related("created_by")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AttachmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["label", "upload"]})]
        main = (None, {"fields": ["label", "content_type", "size", "download"]})
        record = ("Record", {"fields": ["api_reference", "created"]})
        return [main, record, *super().get_fieldsets(request, obj)[1:]]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def has_view_permission(self, request, obj=None):
        # One file: whoever may read it (attached to what they read, or their own upload).
        if obj is None:
            return super().has_view_permission(request)
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    @admin.display(description="size", ordering="content_length")
    def size(self, attachment):
        return filesizeformat(attachment.content_length)

    @admin.display(description="uploaded", boolean=True)
    def uploaded(self, attachment):
        return attachment.uploaded

    @admin.display(description="file")
    def download(self, attachment):
        return _download_link(attachment)

    def save_model(self, request, obj, form, change):
        if change:
            return  # a file never changes (every field is read-only): its links may
        upload = form.cleaned_data["upload"]
        stored = services.attachment_upload(
            actor=request.user,
            fields=services.AttachmentFields(
                name=form.cleaned_data.get("label") or upload.name, type=PDF, size=upload.size
            ),
            chunks=upload.chunks(),
        )
        for field in Attachment._meta.concrete_fields:
            setattr(obj, field.attname, getattr(stored, field.attname))
        obj._state.adding = False

    delete_service = staticmethod(services.attachment_delete)

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<int:pk>/download/", download, name="attachments_attachment_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """The file's bytes, for whoever may see the file (the same rows as the list)."""
        attachment = self.get_queryset(request).filter(pk=pk).first()
        if attachment is None or not attachment.uploaded:
            raise Http404
        return file_response(attachment)


def _download_link(attachment: Attachment) -> str:
    if not attachment.uploaded:
        return "Not uploaded yet"
    url = reverse("admin:attachments_attachment_download", args=[attachment.pk])
    return format_html('<a href="{}">Open {}</a>', url, attachment.label)


def files_section(obj):
    """The files attached to the entity (readable by whoever reads it), with their links."""
    if isinstance(obj, Attachment):
        return "—"
    files = list(files_of(obj))
    if not files:
        return "No files. Attach one with a link “Attachment For” below."
    return format_html(
        '<ul class="attached-files">{}</ul>',
        format_html_join(
            "",
            "<li>{} ({})</li>",
            ((_download_link(each), filesizeformat(each.content_length)) for each in files),
        ),
    )


register_entity_section("Files", files_section)
