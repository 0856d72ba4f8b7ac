"""Serializers of the pre-exam API.  Read serializers describe records; the write and
action serializers only check the shape of the input, the rules are in prescreen.services."""
import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, TechnicalField, User
from ipcenter.api import BoundedSerializerMixin
from ipcenter.deadlines.api import DeadlineSerializer
from ipcenter.deadlines.models import Deadline
from ipcenter.files.models import Attachment
from ipcenter.validators import event_date, founding_date, head_count, past_date

from .. import services
from ..forms import DOCUMENT_LABELS, IPC_RE
from ..models import DefectItem, DefectType, Opinion, PreExamCase, Registration

DOCUMENT_ROLE_CHOICES = [(role, DOCUMENT_LABELS[role]) for role in services.DOCUMENT_ROLES]


# --- registrations --------------------------------------------------------------------------

class EligibilityRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()


class RegistrationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_uscc = serializers.CharField(source="organization.uscc", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    eligibility = EligibilityRuleSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "organization", "organization_name", "organization_uscc", "state", "state_display",
                  "technical_fields", "registered_in_region", "established_on", "insured_staff",
                  "invention_patents", "utility_design_patents", "abnormal_finding_on", "contact_name",
                  "contact_phone", "eligibility", "return_reason", "suspended_until", "risk_note", "cancelled_on",
                  "submitted_at", "decided_at"]
        read_only_fields = fields


class RegistrationApplySerializer(BoundedSerializerMixin, serializers.ModelSerializer):
    bounds = {"established_on": founding_date, "abnormal_finding_on": past_date, "insured_staff": head_count,
              "invention_patents": head_count, "utility_design_patents": head_count}
    technical_fields = serializers.PrimaryKeyRelatedField(
        queryset=TechnicalField.objects.all(), many=True, allow_empty=False, label=_("技术领域"))

    class Meta:
        model = Registration
        fields = ["technical_fields", "registered_in_region", "established_on", "insured_staff",
                  "invention_patents", "utility_design_patents", "abnormal_finding_on", "contact_name",
                  "contact_phone"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("理由"))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                    label=_("说明"))


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, label=_("说明"))


class SuspendSerializer(ReasonSerializer):
    until = serializers.DateField(label=_("暂停至"), validators=[event_date])


# --- cases ----------------------------------------------------------------------------------

def deadlines_by_case(case_ids):
    """{case id: [Deadline]} for the given cases, in one query."""
    from ipcenter.deadlines.services import deadlines_by_object

    return deadlines_by_object(PreExamCase, case_ids)


class CaseSerializer(serializers.ModelSerializer):
    """A case with its clocks.  List views pass ``deadlines`` (case id → rows) in the context
    so that the clocks of a whole page are read in one query."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    technical_field_name = serializers.CharField(source="technical_field.name", read_only=True)
    examiner_name = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    next_due_at = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = PreExamCase
        fields = ["id", "number", "organization", "organization_name", "agency", "filed_by", "title",
                  "patent_type", "technical_field", "technical_field_name", "ipc", "applicants", "inventors",
                  "is_pct_national_phase", "is_divisional", "state", "state_display", "examiner",
                  "examiner_name", "conclusion", "refuse_reason", "termination_reason", "correction_rounds",
                  "precheck_findings", "similar_case", "similarity_score", "is_overdue", "next_due_at",
                  "deadlines", "created_at", "submitted_at", "accepted_at", "concluded_at",
                  "cnipa_application_number", "cnipa_filed_on", "cnipa_outcome", "cnipa_outcome_date",
                  "cnipa_reasons"]
        read_only_fields = fields

    def _deadlines(self, obj):
        known = self.context.get("deadlines")
        if known is None or obj.pk not in known:
            known = self.context["deadlines"] = {**(known or {}), **deadlines_by_case([obj.pk])}
        return known[obj.pk]

    def get_examiner_name(self, obj) -> str:
        return str(obj.examiner) if obj.examiner_id else ""

    def get_is_overdue(self, obj) -> bool:
        """An open clock of the case (turnaround, correction, CNIPA filing) has run out."""
        return any(d.state == Deadline.State.OVERDUE for d in self._deadlines(obj))

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_next_due_at(self, obj):
        """Earliest due time of the case's pending clocks (null when none)."""
        pending = [d.due_at for d in self._deadlines(obj) if d.is_pending]
        return serializers.DateTimeField().to_representation(min(pending)) if pending else None

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return DeadlineSerializer(self._deadlines(obj), many=True).data


class CaseWriteSerializer(serializers.ModelSerializer):
    """A draft's details.  ``organization`` is the user's own company, or for an agency one of
    its client companies; ``agency`` (applicants only) an agency serving the company."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, label=_("申请人单位"),
        error_messages={"does_not_exist": _("请选择本单位，或贵机构代理的企业。"),
                        "incorrect_type": _("请选择本单位，或贵机构代理的企业。")})
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), required=False, allow_null=True, label=_("代理机构"),
        error_messages={"does_not_exist": _("只能选择与本单位建立代理关系的代理机构。"),
                        "incorrect_type": _("只能选择与本单位建立代理关系的代理机构。")})
    technical_field = serializers.PrimaryKeyRelatedField(
        queryset=TechnicalField.objects.filter(prescreen_enabled=True), label=_("技术领域"),
        error_messages={"does_not_exist": _("该技术领域暂未开展预审。")})

    class Meta:
        model = PreExamCase
        fields = ["organization", "title", "patent_type", "technical_field", "ipc", "applicants", "inventors",
                  "agency", "is_pct_national_phase", "is_divisional"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.fields["organization"].queryset = Organization.objects.filter(pk__in=self.allowed_org_ids(user))
            own = [user.organization_id] if user.organization_id else []
            self.fields["agency"].queryset = Organization.objects.filter(
                kind=Organization.Kind.AGENCY, clients__in=own).distinct()

    @staticmethod
    def allowed_org_ids(user):
        if user.has_role(roles.AGENCY):
            return list(user.client_organization_ids)
        return [user.organization_id] if user.organization_id else []

    def validate_title(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("请填写发明名称。"))
        return value

    def validate_ipc(self, value):
        raw = (value or "").strip().upper()
        if not raw:
            return ""
        parts = [p.strip() for p in re.split(r"[;；,，]", raw) if p.strip()]
        bad = [p for p in parts if not IPC_RE.match(p)]
        if bad:
            raise serializers.ValidationError(_("IPC 分类号格式不正确：%(bad)s（示例：A23C 9/12）。")
                                              % {"bad": "、".join(bad)})
        return "; ".join(parts)

    def validate_is_pct_national_phase(self, value):
        if value:
            raise serializers.ValidationError(
                _("PCT 国际申请进入中国国家阶段的申请不属于预审受理范围，请直接向国家知识产权局提交。"))
        return False

    def validate_is_divisional(self, value):
        if value:
            raise serializers.ValidationError(_("分案申请不属于预审受理范围，请直接向国家知识产权局提交。"))
        return False

    def validate(self, data):
        user = self.context["request"].user
        if self.instance is None and "organization" not in data:
            allowed = self.allowed_org_ids(user)
            if len(allowed) != 1:
                raise serializers.ValidationError({"organization": [_("请选择申请人单位。")]})
            data["organization"] = Organization.objects.get(pk=allowed[0])
        if user.has_role(roles.AGENCY):
            data.pop("agency", None)  # the filing agency is the user's own
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="label", read_only=True)
    uploaded_by_name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "role", "original_name", "mime_type", "size", "version", "supersedes", "uploaded_by_name",
                  "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_uploaded_by_name(self, obj) -> str:
        return str(obj.uploaded_by) if obj.uploaded_by_id else ""

    def get_download_url(self, obj) -> str:
        return reverse("files:download", args=[obj.pk])


class DocumentUploadSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=DOCUMENT_ROLE_CHOICES, label=_("文件类别"))
    file = serializers.FileField(label=_("文件"))
    replace = serializers.BooleanField(default=True, label=_("替换该类别的现有文件"),
                                       help_text=_("否：作为该类别的又一份文件（如多页附图）。"))


class CorrectionSerializer(serializers.Serializer):
    request = serializers.FileField(required=False, label=_("请求书"))
    description = serializers.FileField(required=False, label=_("说明书"))
    claims = serializers.FileField(required=False, label=_("权利要求书"))
    abstract = serializers.FileField(required=False, label=_("说明书摘要"))
    drawings = serializers.FileField(required=False, label=_("说明书附图"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                 label=_("补正说明"))

    def validate(self, data):
        unknown = sorted(set(self.initial_data.keys() if hasattr(self.initial_data, "keys") else [])
                         - set(self.fields))
        if unknown:
            raise serializers.ValidationError({"files": [_("未知的文件类别：%(names)s。") % {"names": "、".join(unknown)}]})
        if not any(data.get(role) for role in services.DOCUMENT_ROLES):
            raise serializers.ValidationError({"files": [_("请至少上传一份补正文件。")]})
        return data


class AssignSerializer(serializers.Serializer):
    examiner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(groups__name=roles.EXAMINER, is_active=True), label=_("预审员"),
        error_messages={"does_not_exist": _("所选人员不是预审员。")})


class CnipaFilingSerializer(serializers.Serializer):
    application_number = serializers.CharField(max_length=40, label=_("国家知识产权局申请号"))
    filed_on = serializers.DateField(label=_("正式递交日期"), validators=[past_date])


class CnipaOutcomeSerializer(serializers.Serializer):
    # Checked by the service (field error on "outcome"); a plain string here keeps the one
    # CnipaOutcome enum of the schema named after the case's ``cnipa_outcome``.
    outcome = serializers.CharField(max_length=20, label=_("实审结果"),
                                    help_text="grant（授权）/ rejection（驳回）/ deemed_withdrawn（视为撤回）")
    outcome_date = serializers.DateField(label=_("实审结果日期"), validators=[past_date])
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    label=_("实审理由"))


class FindingSerializer(serializers.Serializer):
    """A pre-check finding: message and location in the requester's language; the message key,
    place and their parameters say it again (absent on findings stored before they were kept)."""
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    document = serializers.CharField()
    location = serializers.CharField()
    message_key = serializers.CharField(required=False)
    params = serializers.DictField(required=False)
    place = serializers.CharField(required=False)
    place_params = serializers.DictField(required=False)


class PrecheckResultSerializer(serializers.Serializer):
    blocking = serializers.IntegerField()
    findings = FindingSerializer(many=True)


# --- opinions -------------------------------------------------------------------------------

class DefectTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DefectType
        fields = ["id", "code", "name", "category"]
        read_only_fields = fields


class DefectItemSerializer(serializers.ModelSerializer):
    defect_type_name = serializers.CharField(source="defect_type.name", read_only=True)

    class Meta:
        model = DefectItem
        fields = ["id", "defect_type", "defect_type_name", "location", "text", "suggestion", "order"]
        read_only_fields = fields


class DefectItemWriteSerializer(serializers.Serializer):
    defect_type = serializers.PrimaryKeyRelatedField(
        queryset=DefectType.objects.filter(active=True), label=_("缺陷类型"),
        error_messages={"does_not_exist": _("请选择有效的缺陷类型。")})
    location = serializers.CharField(max_length=60, label=_("位置"))
    text = serializers.CharField(max_length=5000, label=_("缺陷说明"))
    suggestion = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                       label=_("修改建议"))


class OpinionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    author_name = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    items = DefectItemSerializer(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "case", "case_number", "case_title", "round", "author", "author_name", "state",
                  "state_display", "conclusion", "reasons", "created_at", "submitted_at", "issued_at", "items"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return str(obj.author)


class OpinionSubmitSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Opinion.Conclusion.choices, label=_("结论"))
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    label=_("结论理由"))
