"""The reviu through the API: the only endpoints that write. Each calls the same service as the
reviu pages (reviews.services, audited with channel "api") after asking agencies.permissions;
a refusal is a 400 listing what and where (409 when someone else changed it first), nothing
written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.permissions import Access
from audit.models import Channel
from audit.services import AuditContext
from performance.rules import RuleViolation
from reviews import selectors, services
from reviews.models import DOCUMENT_SECTIONS, ItemStatus, Review, ReviewNote

from .scoping import Filters, agency_and_access
from .views import BIGINT, ScopedList, _link


class Refused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Permintaan ditolak."

    def __init__(self, what: str, exc: RuleViolation) -> None:
        messages = list(dict.fromkeys(v.message for v in exc.violations))
        super().__init__({
            "detail": f"{what}: {'; '.join(messages)}.",
            "errors": [{"key": str(v.key), "field": v.field, "message": v.message} for v in exc.violations],
        })
        if any(v.field == "revision" for v in exc.violations):
            self.status_code = status.HTTP_409_CONFLICT


def _ctx(request: Request, reason: str = "") -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.API, reason=reason)


def _review(request: Request, pk: int) -> tuple[Review, Access]:
    """The reviu and what the user may do with its agency; 404 as for one that does not exist."""
    found = Review.objects.filter(pk=pk if pk < BIGINT else 0).select_related("agency").first()
    if found is None:
        raise Http404("Reviu tidak ditemukan.")
    try:
        agency, access = agency_and_access(user=request.user, code=found.agency.code)
    except Http404:
        raise Http404("Reviu tidak ditemukan.") from None
    review = selectors.review_get(agency=agency, year=found.year, review_id=found.pk)
    return review, access


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---- output ----


class EvidenceRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    sha256 = serializers.CharField()
    download = serializers.SerializerMethodField()

    def get_download(self, evidence: Any) -> str:
        return _link(self.context["request"], "api:evidence_file", evidence.pk)


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    aspect = serializers.CharField()
    criteria = serializers.CharField()
    condition = serializers.CharField()
    effect = serializers.CharField()
    recommendation = serializers.CharField()
    status = serializers.CharField()
    proposed_condition = serializers.CharField()
    proposed_status = serializers.CharField()
    confirmed = serializers.BooleanField()
    confirmed_by = serializers.CharField(source="confirmed_by.username", allow_null=True, default=None)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    evidence = EvidenceRef(many=True, source="evidence_files")
    references = serializers.CharField()


class AnchorOutput(serializers.Serializer):
    kind = serializers.CharField(source="anchor")
    indicator = serializers.CharField(source="indicator.code", allow_null=True, default=None)
    year = serializers.IntegerField(source="anchor_year", allow_null=True)
    quarter = serializers.IntegerField(source="anchor_quarter", allow_null=True)
    budget_item = serializers.CharField(source="budget_item.code", allow_null=True, default=None)
    section = serializers.CharField()
    label = serializers.CharField(source="anchor_label")


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    anchor = AnchorOutput(source="*")
    text = serializers.CharField()
    status = serializers.CharField()
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_by = serializers.CharField(source="answered_by.username", allow_null=True, default=None)
    answered_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField()
    resolved_by = serializers.CharField(source="resolved_by.username", allow_null=True, default=None)
    resolved_at = serializers.DateTimeField(allow_null=True)
    revision = serializers.IntegerField()


class StatementOutput(serializers.Serializer):
    place = serializers.CharField()
    issued_on = serializers.DateField()
    signer_name = serializers.CharField()
    signer_nip = serializers.CharField()
    signer_position = serializers.CharField()
    qualified = serializers.BooleanField()
    open_matters = serializers.ListField(child=serializers.CharField())
    additional = serializers.CharField()
    document_number = serializers.IntegerField()
    document_code = serializers.CharField()
    document_snapshot_sha256 = serializers.CharField()
    document_data_sha256 = serializers.CharField()
    issued_by = serializers.CharField(source="issued_by.username", allow_null=True, default=None)
    issued_at = serializers.DateTimeField()


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    year = serializers.IntegerField()
    document_number = serializers.IntegerField(source="document.number")
    document_code = serializers.CharField(source="document.code")
    document_snapshot_sha256 = serializers.CharField(source="document.snapshot_sha256")
    status = serializers.CharField()
    opened_by = serializers.CharField(source="opened_by.username", allow_null=True, default=None)
    opened_at = serializers.DateTimeField()
    closed_by = serializers.CharField(source="closed_by.username", allow_null=True, default=None)
    closed_at = serializers.DateTimeField(allow_null=True)
    revision = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, review: Review) -> str:
        return _link(self.context["request"], "api:review_detail", review.pk)


class ReviewDetailOutput(ReviewOutput):
    items = ItemOutput(many=True, source="paper.items")
    notes = NoteOutput(many=True, source="paper.notes")
    statement = StatementOutput(allow_null=True, source="paper.statement")


def _detail(request: Request, review: Review, code: int = status.HTTP_200_OK) -> Response:
    review.paper = selectors.working_paper(review=review)
    return Response(ReviewDetailOutput(review, context={"request": request}).data, status=code)


# ---- endpoints ----


class ReviewListApi(ScopedList):
    """Reviews of the agencies the user may see; POST opens one (the Pemda's inspectors)."""

    class FilterSerializer(Filters):
        status = serializers.ChoiceField(choices=Review.Status.choices, required=False)

    class InputSerializer(serializers.Serializer):
        agency = serializers.SlugField(max_length=80)
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        document_number = serializers.IntegerField(min_value=1, max_value=BIGINT - 1,
                                                   help_text="nomor versi dokumen LKjIP yang direviu")

    serializer_class = ReviewOutput
    lookups = {"year": "year", "status": "status"}
    family = ("reviewitem", "reviewnote", "reviewstatement")
    family_match = {"agency_id": "agency_id", "year": "year"}

    def get_queryset(self) -> QuerySet[Review]:
        return self.narrowed(Review.objects.filter(agency__in=self.agencies()).select_related(
            "agency", "document", "opened_by", "closed_by").defer("document__snapshot"), Review)

    @extend_schema(request=InputSerializer, responses={201: ReviewDetailOutput})
    def post(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        agency, access = agency_and_access(user=request.user, code=given.validated_data["agency"])
        _require(access.review, "Hanya Inspektorat yang membuka reviu.")
        year = given.validated_data["year"]
        document = selectors.finished_document(agency=agency, year=year, number=given.validated_data["document_number"])
        if document is None:
            raise Http404("Versi dokumen itu tidak ada atau belum selesai dibuat.")
        try:
            review = services.review_open(agency=agency, year=year, document=document, ctx=_ctx(request))
        except RuleViolation as exc:
            raise Refused("Reviu belum dibuka", exc) from None
        return _detail(request, selectors.review_get(agency=agency, year=year, review_id=review.pk),
                       status.HTTP_201_CREATED)


class ReviewDetailApi(APIView):
    """One reviu: its working paper (every checklist row with the app's proposal and what the
    inspector confirmed), its notes with answers and resolutions, and the statement."""

    @extend_schema(responses=ReviewDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        review, _ = _review(request, pk)
        return _detail(request, review)


class ItemsInput(serializers.Serializer):
    class Item(serializers.Serializer):
        code = serializers.CharField(max_length=40)
        condition = serializers.CharField(allow_blank=True, required=False, default="")
        criteria = serializers.CharField(required=False, help_text="kosongkan untuk memakai kriteria tersimpan")
        effect = serializers.CharField(allow_blank=True, required=False, default="")
        recommendation = serializers.CharField(allow_blank=True, required=False, default="")
        status = serializers.ChoiceField(choices=[("", "belum dinilai"), *ItemStatus.choices], allow_blank=True,
                                         required=False, default="")
        evidence = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=BIGINT - 1),
                                         required=False, default=list, max_length=500)
        references = serializers.CharField(allow_blank=True, required=False, default="")

    revision = serializers.IntegerField(min_value=0, help_text="revisi reviu yang Anda baca (409 bila sudah berubah)")
    items = Item(many=True, allow_empty=False, max_length=100)


class ReviewItemsApi(APIView):
    """Save working-paper rows (those listed; the others stay), all or nothing."""

    @extend_schema(request=ItemsInput, responses=ReviewDetailOutput)
    def put(self, request: Request, pk: int) -> Response:
        review, access = _review(request, pk)
        _require(access.review, "Hanya Inspektorat yang mengisi kertas kerja reviu.")
        given = ItemsInput(data=request.data)
        given.is_valid(raise_exception=True)
        items = {}
        for row in given.validated_data["items"]:
            code = row.pop("code")
            items[code] = services.ItemInput(**row)
        try:
            services.review_items_save(review=review, items=items, revision=given.validated_data["revision"],
                                       ctx=_ctx(request))
        except RuleViolation as exc:
            raise Refused("Kertas kerja belum disimpan", exc) from None
        return _detail(request, _review(request, pk)[0])


class ActInput(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReviewActApi(APIView):
    """close or reopen (reopen needs a reason and no statement yet)."""

    @extend_schema(request=ActInput, responses=ReviewDetailOutput)
    def post(self, request: Request, pk: int, act: str) -> Response:
        review, access = _review(request, pk)
        _require(access.review, "Hanya Inspektorat yang menutup atau membuka kembali reviu.")
        given = ActInput(data=request.data)
        given.is_valid(raise_exception=True)
        service = {"close": services.review_close, "reopen": services.review_reopen}[act]
        try:
            service(review=review, ctx=_ctx(request, given.validated_data["reason"]),
                    revision=given.validated_data.get("revision"))
        except RuleViolation as exc:
            raise Refused("Reviu belum " + ("ditutup" if act == "close" else "dibuka kembali"), exc) from None
        return _detail(request, _review(request, pk)[0])


class NoteInput(serializers.Serializer):
    class Anchor(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ReviewNote.Anchor.choices)
        indicator = serializers.CharField(required=False, max_length=40, help_text="kode indikator (kind indikator)")
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
        budget_item = serializers.CharField(required=False, max_length=40, help_text="kode program/kegiatan")
        section = serializers.ChoiceField(choices=list(DOCUMENT_SECTIONS.items()), required=False)

    anchor = Anchor()
    text = serializers.CharField(max_length=10000)


class ReviewNotesApi(APIView):
    """Write a review note anchored to a figure (indicator + year [+ quarter]), a budget line or
    a document section."""

    @extend_schema(request=NoteInput, responses={201: NoteOutput})
    def post(self, request: Request, pk: int) -> Response:
        review, access = _review(request, pk)
        _require(access.review, "Hanya Inspektorat yang menulis catatan reviu.")
        given = NoteInput(data=request.data)
        given.is_valid(raise_exception=True)
        anchor = given.validated_data["anchor"]
        # The same choices as the page's note form: the Renstra covering the anchor's year.
        indicators, budget_items = selectors.anchor_choices(agency=review.agency,
                                                            year=anchor.get("year") or review.year)
        indicator_id = budget_item_id = None
        if code := anchor.get("indicator"):
            indicator_id = next((i.pk for i in indicators if i.code == code), None)
            if indicator_id is None:
                raise serializers.ValidationError(
                    {"anchor": {"indicator": [f"indikator {code} tidak ada di Renstra yang mencakup tahun itu"]}})
        if code := anchor.get("budget_item"):
            budget_item_id = next((b.pk for b in budget_items if b.code == code), None)
            if budget_item_id is None:
                raise serializers.ValidationError({"anchor": {"budget_item": [f"program/kegiatan {code} tidak dikenal"]}})
        try:
            note = services.review_note_add(
                review=review, text=given.validated_data["text"], ctx=_ctx(request),
                anchor=services.NoteAnchor(kind=anchor["kind"], indicator_id=indicator_id, year=anchor.get("year"),
                                           quarter=anchor.get("quarter"), budget_item_id=budget_item_id,
                                           section=anchor.get("section", "")),
            )
        except RuleViolation as exc:
            raise Refused("Catatan belum disimpan", exc) from None
        note = ReviewNote.objects.select_related("indicator", "budget_item", "author").get(pk=note.pk)
        return Response(NoteOutput(note).data, status=status.HTTP_201_CREATED)


class NoteActInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000,
                                 help_text="jawaban, tanggapan penyelesaian, atau alasan membuka kembali")
    revision = serializers.IntegerField(min_value=0, required=False)


class ReviewNoteActApi(APIView):
    """answer (the agency's planner or head), resolve or reopen (the inspectors)."""

    @extend_schema(request=NoteActInput, responses=NoteOutput)
    def post(self, request: Request, pk: int, note_id: int, act: str) -> Response:
        review, access = _review(request, pk)
        note = ReviewNote.objects.filter(review=review, pk=note_id if note_id < BIGINT else 0).first()
        if note is None:
            raise Http404("Catatan tidak ditemukan.")
        note.review = review
        _require(access.answer_review_notes if act == "answer" else access.review,
                 "Anda tidak berwenang untuk tindakan ini.")
        given = NoteActInput(data=request.data)
        given.is_valid(raise_exception=True)
        text, revision = given.validated_data["text"], given.validated_data.get("revision")
        try:
            if act == "answer":
                services.review_note_answer(note=note, text=text, ctx=_ctx(request), revision=revision)
            elif act == "resolve":
                services.review_note_resolve(note=note, text=text, ctx=_ctx(request), revision=revision)
            else:
                services.review_note_reopen(note=note, ctx=_ctx(request, text), revision=revision)
        except RuleViolation as exc:
            raise Refused("Catatan belum " + {"answer": "dijawab", "resolve": "diselesaikan",
                                             "reopen": "dibuka kembali"}[act], exc) from None
        note = ReviewNote.objects.select_related("indicator", "budget_item", "author", "answered_by",
                                                 "resolved_by").get(pk=note.pk)
        return Response(NoteOutput(note).data)


class StatementInput(serializers.Serializer):
    place = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    signer_name = serializers.CharField(max_length=200)
    signer_nip = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    signer_position = serializers.CharField(max_length=200)
    additional = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)


class ReviewStatementApi(APIView):
    """Issue the Pernyataan Telah Direviu of a closed reviu (the Inspektur)."""

    @extend_schema(request=StatementInput, responses={201: ReviewDetailOutput})
    def post(self, request: Request, pk: int) -> Response:
        review, access = _review(request, pk)
        _require(access.issue_review_statement, "Hanya Inspektur yang menerbitkan pernyataan telah direviu.")
        given = StatementInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.statement_issue(review=review, ctx=_ctx(request), **given.validated_data)
        except RuleViolation as exc:
            raise Refused("Pernyataan belum diterbitkan", exc) from None
        return _detail(request, _review(request, pk)[0], status.HTTP_201_CREATED)
