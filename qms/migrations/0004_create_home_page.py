"""Make the staff site's HomePage the site root, replacing Wagtail's default welcome page."""

import json
import uuid

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node path alphabet
STEPLEN = 4

POLICY = (
    "<p>Sở Giáo dục và Đào tạo tỉnh Hòa Bình cam kết xây dựng, áp dụng và cải tiến thường "
    "xuyên hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2008 nhằm:</p>"
    "<ul><li>Giải quyết công việc của tổ chức, công dân đúng pháp luật, đúng hạn, công khai, "
    "minh bạch;</li>"
    "<li>Nâng cao năng lực, trách nhiệm và tinh thần phục vụ của cán bộ, công chức;</li>"
    "<li>Lấy sự hài lòng của người dân, nhà trường và cơ quan nhà nước làm thước đo chất "
    "lượng.</li></ul>"
)
OBJECTIVES = [
    ("100 % hồ sơ thủ tục hành chính được giải quyết đúng hạn", "100 %"),
    ("Tỷ lệ người dân, tổ chức hài lòng với kết quả giải quyết", "trên 80 %"),
    ("Cán bộ, công chức được phổ biến chính sách, mục tiêu chất lượng", "100 %"),
]


def _encode(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("qms", "HomePage")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None or HomePage.objects.exists():
        return
    # Wagtail's welcome page ("Welcome to your new Wagtail site!") is a plain Page; Site rows
    # pointing at it go with it (CASCADE) and are recreated below.
    page_type = ContentType.objects.get_for_model(Page)
    Page.objects.filter(content_type=page_type, depth=2, slug="home").delete()

    children = Page.objects.filter(depth=2, path__startswith=root.path)
    last = children.order_by("-path").values_list("path", flat=True).first()
    step = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="vi")
    home_type, _ = ContentType.objects.get_or_create(app_label="qms", model="homepage")
    title = "Hệ thống quản lý chất lượng ISO 9001:2008"
    home = HomePage.objects.create(
        title=title,
        draft_title=title,
        slug="trang-chu",
        content_type=home_type,
        path=root.path + _encode(step),
        depth=2,
        numchild=0,
        url_path="/trang-chu/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
        intro=(
            "Tài liệu của hệ thống quản lý chất lượng Sở GD&ĐT Hòa Bình và các Phòng GD&ĐT: "
            "luôn là bản đang có hiệu lực."
        ),
        quality_policy=POLICY,
        objectives_year=2012,
        quality_objectives=json.dumps(
            [
                {
                    "type": "objective",
                    "value": {"objective": objective, "target": target},
                    "id": str(uuid.uuid4()),
                }
                for objective, target in OBJECTIVES
            ]
        ),
        announcements="[]",
    )
    Page.objects.filter(pk=root.pk).update(numchild=children.count())
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="HTQLCL ISO — Sở GD&ĐT Hòa Bình",
        )
    else:
        site.root_page = home
        site.save()


def remove_home_page(apps, schema_editor):
    # The HomePage rows (and Site rows pointing at them) go when the model's table is dropped.
    HomePage = apps.get_model("qms", "HomePage")
    HomePage.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0003_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
