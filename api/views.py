"""Read endpoints of the API (v1): thin views over the selectors and serialisations the pages,
the document and `capaian --format json` already use. Each view declares its own filters and
output (HackSoft styleguide), and asks agencies.permissions what the user may see."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency, AgencyYear, Government
from agencies.permissions import agencies_visible_to, governments_visible_to
from audit.models import AuditEntry
from budget.summary import budget_summary
from evaluations.models import Evaluation
from evaluations.selectors import evaluation_data, with_details
from evidence.models import Evidence
from evidence.views import evidence_for_user, file_response
from performance import agreements as versions
from performance.measurement import measure
from performance.models import (
    Indicator,
    PerformanceAgreement,
    PlanNode,
    Realization,
    Recommendation,
    StrategicPlan,
    Target,
)
from reports.document_views import document_file
from reports.findings import agency_findings
from reports.models import LkjipDocument
from reports.selectors import agency_years
from reports.snapshot import budget_data, build_measurement

from .fields import DecimalString, Json
from .pagination import Cursor
from .scoping import Filters, agency_and_access, changed_since, parse, scoped_agencies

# No primary key reaches this (and SQLite cannot even be asked for a larger one).
BIGINT = 2**63


def _link(request: Request, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


class ScopedList(generics.ListAPIView):
    """A cursor-paged list whose filters are validated by the view's `FilterSerializer`."""

    pagination_class = Cursor
    FilterSerializer: type[serializers.Serializer] = Filters
    # filter name → ORM lookup, applied when the request gives the filter
    lookups: dict[str, str] = {}
    # changed_since: the child object types shown inside a record, and how their scope matches it
    family: tuple[str, ...] = ()
    family_match: dict[str, str] = {}

    def filters(self) -> dict[str, Any]:
        if not hasattr(self, "_filters"):
            self._filters = parse(self.FilterSerializer, self.request)
        return self._filters

    def narrowed(self, queryset: QuerySet, model: type | None = None) -> QuerySet:
        """The queryset with the `lookups` filters given, and `changed_since` read from the
        audit trail of `model` (None: the view applies its own)."""
        f = self.filters()
        queryset = queryset.filter(**{lookup: f[name] for name, lookup in self.lookups.items() if name in f})
        if model is None:
            return queryset
        return changed_since(queryset, model, f.get("changed_since"), family=self.family, match=self.family_match)

    def agencies(self) -> QuerySet[Agency]:
        return scoped_agencies(user=self.request.user, code=self.filters().get("agency"))


# ---- Pemda and agencies ----


class GovernmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField()
    head_title = serializers.CharField()
    head_name = serializers.CharField()


def _governments(user: Any) -> QuerySet[Government]:
    """The Pemda where the user holds a role, and the Pemda of the agencies they belong to."""
    return Government.objects.filter(
        Q(pk__in=governments_visible_to(user=user).values("pk"))
        | Q(pk__in=agencies_visible_to(user=user).values("government_id"))
    )


class GovernmentListApi(ScopedList):
    class FilterSerializer(serializers.Serializer):
        pass

    serializer_class = GovernmentOutput

    def get_queryset(self) -> QuerySet[Government]:
        return _governments(self.request.user)


class GovernmentDetailApi(APIView):
    @extend_schema(responses=GovernmentOutput)
    def get(self, request: Request, pk: int) -> Response:
        government = _governments(request.user).filter(pk=pk if pk < BIGINT else 0).first()
        if government is None:
            raise Http404("Pemda tidak ditemukan.")
        return Response(GovernmentOutput(government).data)


class AgencyOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    government = serializers.IntegerField(source="government_id")
    government_name = serializers.CharField(source="government.name")
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()


class AgencyListApi(ScopedList):
    class FilterSerializer(serializers.Serializer):
        government = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT - 1)

    serializer_class = AgencyOutput

    def get_queryset(self) -> QuerySet[Agency]:
        queryset = agencies_visible_to(user=self.request.user).select_related("government")
        if government := self.filters().get("government"):
            queryset = queryset.filter(government_id=government)
        return queryset


class AgencyDetailApi(APIView):
    @extend_schema(responses=AgencyOutput)
    def get(self, request: Request, code: str) -> Response:
        agency, _ = agency_and_access(user=request.user, code=code)
        return Response(AgencyOutput(agency).data)


class AgencyYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    head_title = serializers.CharField()
    head_name = serializers.CharField()
    head_rank = serializers.CharField()
    head_nip = serializers.CharField()
    signature_place = serializers.CharField()
    signature_date = serializers.DateField(allow_null=True)
    links = serializers.DictField(child=serializers.CharField())


class AgencyYearListApi(APIView):
    """The agency's reporting years (a report profile or realisasi), newest first."""

    @extend_schema(responses=AgencyYearOutput(many=True))
    def get(self, request: Request, code: str) -> Response:
        agency, _ = agency_and_access(user=request.user, code=code)
        profiles = {p.year: p for p in AgencyYear.objects.filter(agency=agency)}
        rows = []
        for year in agency_years(agency=agency):
            profile = profiles.get(year) or AgencyYear(agency=agency, year=year)
            profile.links = {
                name: _link(request, f"api:{name}", code, year) for name in ("measurement", "budget", "findings")
            }
            rows.append(profile)
        return Response(AgencyYearOutput(rows, many=True).data)


# ---- Renstra, indicators, targets ----


class NodeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.CharField(source="parent_code", allow_null=True)
    text = serializers.CharField()
    indicators = serializers.ListField(child=serializers.CharField(), source="indicator_codes")


class PlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    vision = serializers.CharField()
    nodes = NodeOutput(many=True, source="tree")


class PlanListApi(APIView):
    """Every Renstra of the agency with its misi → tujuan → sasaran tree (parent codes) and the
    indicators of each node."""

    @extend_schema(responses=PlanOutput(many=True))
    def get(self, request: Request, code: str) -> Response:
        agency, _ = agency_and_access(user=request.user, code=code)
        plans = list(
            StrategicPlan.objects.filter(agency=agency).select_related("agency").prefetch_related(
                Prefetch("nodes", PlanNode.objects.select_related("parent").order_by("order", "pk")),
                Prefetch("indicators", Indicator.objects.order_by("order", "pk")),
            )
        )
        for plan in plans:
            by_node: dict[int, list[str]] = {}
            for indicator in plan.indicators.all():
                if indicator.owner_node_id:
                    by_node.setdefault(indicator.owner_node_id, []).append(indicator.code)
            plan.tree = list(plan.nodes.all())
            for node in plan.tree:
                node.parent_code = node.parent.code if node.parent else None
                node.indicator_codes = by_node.get(node.pk, [])
        return Response(PlanOutput(plans, many=True).data)


class IndicatorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="plan.agency.code")
    plan = serializers.IntegerField(source="plan_id")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    polarity = serializers.CharField()
    aggregation = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    definition = serializers.CharField()
    data_source = serializers.CharField()
    responsible = serializers.CharField()
    baseline_year = serializers.IntegerField(allow_null=True)
    baseline = DecimalString(allow_null=True)
    owner_node = serializers.CharField(source="owner_node.code", allow_null=True, default=None)
    owner_budget_item = serializers.CharField(source="owner_budget_item.code", allow_null=True, default=None)


class IndicatorListApi(ScopedList):
    """Indicators of the Renstra covering `year` (every Renstra without it)."""

    serializer_class = IndicatorOutput

    def get_queryset(self) -> QuerySet[Indicator]:
        queryset = self.narrowed(Indicator.objects.filter(plan__agency__in=self.agencies()).select_related(
            "plan__agency", "owner_node", "owner_budget_item"
        ), Indicator)
        if year := self.filters().get("year"):
            queryset = queryset.filter(plan__start_year__lte=year, plan__end_year__gte=year)
        return queryset


class TargetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="indicator.plan.agency.code")
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    document = serializers.CharField()
    version = serializers.CharField()
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    agreement_number = serializers.IntegerField(source="agreement.number", allow_null=True, default=None)
    agreement_status = serializers.CharField(source="agreement.status", allow_null=True, default=None)
    value = DecimalString()
    quarters = serializers.ListField(child=DecimalString(allow_null=True))
    end_value = DecimalString(allow_null=True)
    reason = serializers.CharField()


class TargetListApi(ScopedList):
    """Targets of every document (Renstra murni/perubahan, IKU, Renja, each PK version)."""

    class FilterSerializer(Filters):
        document = serializers.ChoiceField(choices=Target.Document.choices, required=False)
        indicator = serializers.CharField(required=False, max_length=40, help_text="kode indikator")

    serializer_class = TargetOutput
    lookups = {"year": "year", "document": "document", "indicator": "indicator__code"}

    def get_queryset(self) -> QuerySet[Target]:
        return self.narrowed(Target.objects.filter(indicator__plan__agency__in=self.agencies()).select_related(
            "indicator__plan__agency", "agreement"
        ), Target)


# ---- Realisasi and evidence ----


class EvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = serializers.CharField(source="uploaded_by_label")
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, evidence: Evidence) -> str:
        return _link(self.context["request"], "api:evidence_file", evidence.pk)


class RealizationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="indicator.plan.agency.code")
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    value = DecimalString(allow_null=True)
    numerator = DecimalString(allow_null=True)
    denominator = DecimalString(allow_null=True)
    status = serializers.CharField()
    review_state = serializers.CharField(source="review")
    review_note = serializers.CharField()
    review_by = serializers.CharField(source="review_by_label")
    review_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField()
    revision = serializers.IntegerField()
    evidence = EvidenceOutput(many=True, source="evidence_files")


class RealizationListApi(ScopedList):
    class FilterSerializer(Filters):
        quarter = serializers.IntegerField(required=False, min_value=0, max_value=4,
                                           help_text="1–4; 0 untuk nilai tahunan")
        status = serializers.ChoiceField(choices=Realization.Status.choices, required=False)
        review_state = serializers.ChoiceField(choices=Realization.Review.choices, required=False)
        indicator = serializers.CharField(required=False, max_length=40, help_text="kode indikator")

    serializer_class = RealizationOutput
    lookups = {"year": "year", "status": "status", "review_state": "review", "indicator": "indicator__code"}
    family = ("evidence",)
    family_match = {"indicator_id": "indicator_id", "year": "year"}  # a superset: the year's entries of the indicator

    def get_queryset(self) -> QuerySet[Realization]:
        queryset = self.narrowed(
            Realization.objects.filter(indicator__plan__agency__in=self.agencies())
            .select_related("indicator__plan__agency")
            .prefetch_related(Prefetch("evidence", Evidence.objects.order_by("pk"), to_attr="evidence_files")),
            Realization,
        )
        if "quarter" in self.filters():
            quarter = self.filters()["quarter"]
            queryset = queryset.filter(quarter=quarter) if quarter else queryset.filter(quarter__isnull=True)
        return queryset


class EvidenceFileApi(APIView):
    """The evidence file itself, for whoever may see its agency (the same 404 otherwise)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="berkas bukti dukung")})
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence, _, _ = evidence_for_user(request, pk)
        return file_response(evidence)


# ---- Measurement, budget, findings (the document's own serialisation) ----


def _agency_year(request: Request, code: str, year: int) -> Agency:
    agency, _ = agency_and_access(user=request.user, code=code)
    if not 2000 <= year <= 2100:
        raise Http404("Tahun di luar rentang 2000–2100.")
    return agency


class MeasurementApi(APIView):
    """The measurement of an agency and year exactly as `capaian --format json` prints it and
    the LKjIP is rendered from: every indicator's target used and its document, realisasi per
    quarter and for the year, capaian, predikat, capaian against the other documents' targets,
    per-sasaran aggregates, budget totals and absorption, efficiency."""

    @extend_schema(responses=OpenApiResponse(description="lihat `capaian --format json`"))
    def get(self, request: Request, code: str, year: int) -> Response:
        agency = _agency_year(request, code, year)
        data, measurement = build_measurement(agency=agency, year=year)
        if measurement.plan is None:
            raise Http404(f"Tidak ada Renstra {agency.code} yang mencakup tahun {year}.")
        notice = measurement.agreement_state.notice if measurement.agreement_state else ""
        return Response({**data, "agreement_notice": notice})


class BudgetApi(APIView):
    """The budget tree (program → kegiatan → sub-kegiatan, depth-first) with pagu murni and in
    force, spending per quarter and absorption; every parent figure is a sum of its rows."""

    @extend_schema(responses=OpenApiResponse(description="pohon anggaran dengan serapan"))
    def get(self, request: Request, code: str, year: int) -> Response:
        agency = _agency_year(request, code, year)
        return Response(budget_data(budget_summary(agency=agency, year=year)))


class FindingOutput(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    indicator = serializers.CharField()


class FindingListApi(APIView):
    @extend_schema(responses=FindingOutput(many=True))
    def get(self, request: Request, code: str, year: int) -> Response:
        agency = _agency_year(request, code, year)
        found = agency_findings(measurement=measure(agency=agency, year=year),
                                budget=budget_summary(agency=agency, year=year))
        return Response(FindingOutput(found, many=True).data)


# ---- Perjanjian Kinerja ----


class ChainOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(source="user_label")
    channel = serializers.CharField()
    action = serializers.CharField()
    changes = Json()
    reason = serializers.CharField()


class AgreementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_note = serializers.CharField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
    status_changed_by = serializers.CharField(source="status_changed_by.username", allow_null=True, default=None)
    frozen_sha256 = serializers.CharField()
    revision = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_label(self, agreement: PerformanceAgreement) -> str:
        return f"PK {agreement.version_label}"

    def get_url(self, agreement: PerformanceAgreement) -> str:
        return _link(self.context["request"], "api:agreement_detail", agreement.pk)


class AgreementListApi(ScopedList):
    class FilterSerializer(Filters):
        status = serializers.ChoiceField(choices=PerformanceAgreement.Status.choices, required=False)

    serializer_class = AgreementOutput
    lookups = {"year": "year", "status": "status"}
    family = ("target", "agreementprogram", "evidence")
    family_match = {"agency_id": "agency_id", "year": "year"}

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        return self.narrowed(PerformanceAgreement.objects.filter(agency__in=self.agencies()).select_related(
            "agency", "status_changed_by"
        ), PerformanceAgreement)


class AgreementDetailOutput(AgreementOutput):
    contents = Json(help_text="isi PK (yang dibekukan saat disetujui)")
    chain = ChainOutput(many=True)
    changes_from_previous = serializers.ListField(child=serializers.DictField())
    pdf = serializers.SerializerMethodField()

    def get_pdf(self, agreement: PerformanceAgreement) -> str:
        return _link(self.context["request"], "reports:agreement_pdf", agreement.agency.code, agreement.year,
                     agreement.number)


class AgreementDetailApi(APIView):
    """One PK version: its contents (frozen if approved), the approval chain from the audit
    trail and the differences from the version before it."""

    @extend_schema(responses=AgreementDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        agreement = (
            PerformanceAgreement.objects.select_related("agency", "status_changed_by")
            .filter(pk=pk if pk < BIGINT else 0, agency__in=agencies_visible_to(user=request.user)).first()
        )
        if agreement is None:
            raise Http404("Perjanjian Kinerja tidak ditemukan.")
        agreement.contents = versions.shown_contents(agreement)
        agreement.chain = versions.chain([agreement])
        previous = (
            PerformanceAgreement.objects.filter(agency=agreement.agency, year=agreement.year,
                                                number__lt=agreement.number)
            .select_related("agency").order_by("-number").first()
        )
        agreement.changes_from_previous = (
            [dataclasses.asdict(change) for change in versions.diff(versions.shown_contents(previous), agreement.contents)]
            if previous else []
        )
        return Response(AgreementDetailOutput(agreement, context={"request": request}).data)


# ---- History ----


class HistoryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    user = serializers.CharField(source="user_label")
    channel = serializers.CharField()
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.IntegerField()
    object_label = serializers.CharField()
    agency = serializers.CharField(source="agency_code")
    year = serializers.IntegerField(allow_null=True)
    quarter = serializers.IntegerField(allow_null=True)
    indicator = serializers.CharField(source="indicator_code")
    changes = Json(help_text="{kolom: [lama, baru]}")
    reason = serializers.CharField()
    batch = serializers.IntegerField(source="batch_id", allow_null=True)


class HistoryListApi(ScopedList):
    """The audit trail of the agencies the user may see (every write of every channel)."""

    class FilterSerializer(Filters):
        object_type = serializers.CharField(required=False, max_length=40, help_text="mis. realization, target")
        object_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT - 1)
        user = serializers.CharField(required=False, max_length=150, help_text="nama pengguna")
        channel = serializers.ChoiceField(choices=AuditEntry._meta.get_field("channel").choices, required=False)
        quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)

    serializer_class = HistoryOutput
    lookups = {"year": "year", "quarter": "quarter", "object_type": "object_type", "object_id": "object_id",
               "user": "user_label", "channel": "channel", "changed_since": "at__gte"}

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return self.narrowed(AuditEntry.objects.filter(agency__in=self.agencies()))


# ---- Document versions ----


class DocumentOutput(serializers.Serializer):
    code = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    snapshot_sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    page_count = serializers.IntegerField(allow_null=True)
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True, default=None)
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    final = serializers.BooleanField(help_text="versi final (tanpa tanda air DRAF); false: draf")
    official = serializers.BooleanField(
        help_text="versi yang ditandatangani kepala perangkat daerah: LKjIP instansi tahun itu (paling banyak satu)")
    signed_at = serializers.DateTimeField(allow_null=True, help_text="kapan tanda tangan dicatat")
    signed_by = serializers.CharField(source="signed_by.username", allow_null=True, default=None)
    pdf = serializers.SerializerMethodField()
    verify = serializers.SerializerMethodField()

    def get_pdf(self, document: LkjipDocument) -> str | None:
        if document.status != LkjipDocument.Status.DONE:
            return None
        return _link(self.context["request"], "api:document_pdf", document.code)

    def get_verify(self, document: LkjipDocument) -> str:
        return _link(self.context["request"], "reports:verify", document.code)


class DocumentListApi(ScopedList):
    class FilterSerializer(Filters):
        status = serializers.ChoiceField(choices=LkjipDocument.Status.choices, required=False)
        final = serializers.BooleanField(
            required=False, allow_null=True, help_text="true: hanya versi final; false: hanya draf")
        official = serializers.BooleanField(
            required=False, allow_null=True,
            help_text="true: hanya versi yang ditandatangani (LKjIP tahun itu); false: versi lainnya")

    serializer_class = DocumentOutput
    lookups = {"year": "year", "status": "status"}

    def get_queryset(self) -> QuerySet[LkjipDocument]:
        queryset = self.narrowed(
            LkjipDocument.objects.filter(agency__in=self.agencies())
            .select_related("agency", "requested_by", "signed_by").defer("snapshot"))
        f = self.filters()
        if f.get("final") is not None:
            queryset = queryset.filter(final=f["final"])
        if f.get("official") is not None:
            queryset = queryset.filter(signed_at__isnull=not f["official"])
        if since := self.filters().get("changed_since"):
            # Versions are not edited but requested and finished: those times say what is new.
            queryset = queryset.filter(Q(requested_at__gte=since) | Q(finished_at__gte=since))
        return queryset


class DocumentPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="PDF LKjIP versi ini")})
    def get(self, request: Request, code: str) -> FileResponse:
        return document_file(request, code, "pdf", "application/pdf")


# ---- Evaluation results (LHE) and their recommendations ----


class RecommendationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    year = serializers.IntegerField(help_text="tahun LKjIP yang menindaklanjuti (tahun evaluasi + 1)")
    component = serializers.CharField()
    text = serializers.CharField()
    follow_up = serializers.CharField(help_text="tindak lanjut perangkat daerah")
    status = serializers.CharField()
    order = serializers.IntegerField()


class RecommendationListApi(ScopedList):
    """The LHE recommendations an agency follows up, with its tindak lanjut."""

    serializer_class = RecommendationOutput
    lookups = {"year": "year"}

    def get_queryset(self) -> QuerySet[Recommendation]:
        return self.narrowed(Recommendation.objects.filter(agency__in=self.agencies()).select_related("agency"),
                             Recommendation)


class EvaluationListApi(ScopedList):
    """LHE AKIP results: components with weights and values, the total and predikat computed
    from them (and what the source printed, flagged where it differs), as the document prints
    them. `year` is the evaluated LKjIP year."""

    serializer_class = None
    lookups = {"year": "evaluated_year"}
    family = ("evaluationscore",)
    family_match = {"agency_id": "agency_id", "year": "evaluated_year"}

    def get_queryset(self) -> QuerySet[Evaluation]:
        return self.narrowed(with_details(Evaluation.objects.filter(agency__in=self.agencies())), Evaluation)

    @extend_schema(responses=OpenApiResponse(description="daftar hasil evaluasi (lihat evaluation_data)"))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([evaluation_data(e) for e in page])
