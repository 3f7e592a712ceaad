"""The access matrix of qms.access: roles, units, QMS boundaries (ARCHITECTURE §3)."""

from __future__ import annotations

import pytest

from qms import access


@pytest.fixture
def docs(org, users, make_document):
    return {
        "vp": make_document(unit=org.vp, code="QT-VP-01", issued=True),
        "vp_draft": make_document(unit=org.vp, code="QT-VP-02"),
        "sgd_province": make_document(
            unit=org.sgd, code="QT-SGD-01", issued=True, applies_to=[org.sgd]
        ),
        "luongson": make_document(unit=org.luongson, code="QT-LS-01", issued=True),
        "luongson_unit": make_document(
            unit=org.luongson,
            code="QT-LS-02",
            issued=True,
            visibility="unit",
        ),
        "public": make_document(
            unit=org.luongson, code="TTHC-LS-01", issued=True, visibility="public"
        ),
    }


def visible_codes(user, docs):
    from documents.models import ControlledDocument

    codes = set(
        access.visible_documents(user, ControlledDocument.objects.all()).values_list(
            "code", flat=True
        )
    )
    # The queryset and the per-object answer must agree.
    assert codes == {d.code for d in docs.values() if access.can_view_document(user, d)}
    return codes


def test_staff_reads_issued_documents_of_their_qms_and_province_wide_ones(users, docs):
    assert visible_codes(users.staff_vp, docs) == {"QT-VP-01", "QT-SGD-01", "TTHC-LS-01"}


def test_district_staff_sees_own_district_and_province_wide_but_not_department_internal(
    users, docs
):
    assert visible_codes(users.staff_luongson, docs) == {
        "QT-SGD-01",
        "QT-LS-01",
        "QT-LS-02",
        "TTHC-LS-01",
    }


def test_staff_of_another_district_sees_neither_internal_nor_unit_documents(users, docs):
    assert visible_codes(users.staff_kimboi, docs) == {"QT-SGD-01", "TTHC-LS-01"}


def test_author_sees_drafts_of_their_unit_only(users, docs):
    assert "QT-VP-02" in visible_codes(users.author_vp, docs)
    assert "QT-VP-02" not in visible_codes(users.staff_vp, docs)
    assert "QT-VP-02" not in visible_codes(users.author_luongson, docs)


def test_department_roles_stop_at_a_district_qms(users, docs):
    assert not access.can_edit_document(users.author_vp, docs["luongson"])
    assert not access.can_approve_document(users.approver_sgd, docs["luongson"])
    assert not access.can_withdraw_document(users.controller_sgd, docs["luongson"])
    assert access.can_approve_document(users.approver_sgd, docs["vp"])  # child unit, same QMS


def test_district_roles_have_no_say_in_department_documents(users, docs):
    assert not access.can_approve_document(users.approver_luongson, docs["vp"])
    assert not access.can_edit_document(users.author_luongson, docs["sgd_province"])
    assert access.can_view_document(users.author_luongson, docs["sgd_province"])


def test_quality_manager_keeps_read_only_oversight_below(users, docs):
    qm = users.qm_sgd
    assert access.can_view_document(qm, docs["luongson_unit"])
    assert not access.can_edit_document(qm, docs["luongson_unit"])
    assert not access.can_approve_document(qm, docs["luongson_unit"])


def test_nobody_reviews_or_approves_what_they_prepared(users, docs):
    approver = users.approver_luongson
    assert access.can_approve_document(approver, docs["luongson"])
    assert not access.can_approve_document(approver, docs["luongson"], prepared_by_id=approver.pk)
    assert not access.can_review_document(
        users.reviewer_luongson, docs["luongson"], prepared_by_id=users.reviewer_luongson.pk
    )


def test_anonymous_and_outsiders_see_public_documents_only(users, docs):
    from django.contrib.auth.models import AnonymousUser

    assert visible_codes(AnonymousUser(), docs) == {"TTHC-LS-01"}
    assert visible_codes(users.outsider, docs) == {"TTHC-LS-01"}


def test_original_file_is_for_controllers_and_approvers_of_the_unit(users, docs):
    assert access.can_download_original(users.approver_luongson, docs["luongson"])
    assert not access.can_download_original(users.staff_luongson, docs["luongson"])
    assert not access.can_download_original(users.controller_sgd, docs["luongson"])


def test_admin_access_follows_roles(users):
    assert users.author_vp.has_perm("wagtailadmin.access_admin")
    assert not users.staff_vp.has_perm("wagtailadmin.access_admin")
    assert not users.outsider.has_perm("wagtailadmin.access_admin")
