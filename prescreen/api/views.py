"""Viewsets of the pre-exam API: the same scoping (``visible_to``) and FilterSets as the HTML
pages; every state change goes through prescreen.services.

Errors: a service's ValidationError becomes 400 with its field errors (messages that belong
to no field under ``non_field_errors``); a refused permission is 403; a record outside the
user's scope is 404 because the querysets are scoped."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ipcenter.accounts import roles
from ipcenter.api import ScopedModelViewSet, ScopedReadOnlyViewSet, call_service, validated
from ipcenter.files.services import attachments_of, store_upload, validate_upload

from .. import services
from ..filters import CaseFilterSet, OpinionFilterSet, RegistrationFilterSet
from ..models import DefectItem, DefectType, PreExamCase, acts_for_case
from ..precheck import shown as shown_finding
from . import serializers as s

DOCUMENT_PURPOSE = "prescreen.document"


def _require_transition(obj, name, user):
    """403 unless ``user`` may run the workflow transition ``name`` on ``obj`` (state is the service's job)."""
    transition = type(obj).workflow.get(name)
    if transition.allowed is not None and not transition.allowed(user, obj):
        raise exceptions.PermissionDenied(_("您没有权限执行“%(label)s”。") % {"label": transition.label})


def _require_filer(case, user):
    if not acts_for_case(user, case):
        raise exceptions.PermissionDenied(_("只有申请人或其代理机构可以进行此操作。"))


# --- registrations --------------------------------------------------------------------------

@extend_schema_view(
    create=extend_schema(request=s.RegistrationApplySerializer, responses={201: s.RegistrationSerializer},
                         summary="申请备案（返回逐项条件核验结果）"),
)
class RegistrationViewSet(ScopedModelViewSet):
    """创新主体备案：申请、审核（准予/退回）、暂停、恢复、取消。退回后重新申请即再次 POST 创建。"""

    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilterSet
    ordering_fields = ["submitted_at", "decided_at", "state"]
    http_method_names = ["get", "post", "head", "options"]

    def refine_queryset(self, qs):
        return qs.select_related("organization").prefetch_related("technical_fields")

    def _response(self, reg, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=reg.pk).first() or reg
        return Response(s.RegistrationSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        data = dict(validated(s.RegistrationApplySerializer, request))
        fields = data.pop("technical_fields")
        reg = call_service(services.apply_registration, request.user, technical_fields=fields, **data)
        return self._response(reg, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        reg = self.get_object()
        _require_transition(reg, "approve", request.user)
        return self._response(call_service(services.approve_registration, reg, request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        reg = self.get_object()
        _require_transition(reg, "return", request.user)
        reason = validated(s.ReasonSerializer, request)["reason"]
        return self._response(call_service(services.return_registration, reg, request.user, reason))

    @extend_schema(request=s.SuspendSerializer, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        reg = self.get_object()
        data = validated(s.SuspendSerializer, request)
        return self._response(call_service(services.suspend_registration, reg, request.user, reason=data["reason"],
                                   until=data["until"]))

    @extend_schema(request=None, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        reg = self.get_object()
        _require_transition(reg, "reinstate", request.user)
        return self._response(call_service(services.reinstate_registration, reg, request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reg = self.get_object()
        _require_transition(reg, "cancel", request.user)
        reason = validated(s.ReasonSerializer, request)["reason"]
        return self._response(call_service(services.cancel_registration, reg, request.user, reason))


# --- cases ----------------------------------------------------------------------------------

@extend_schema_view(
    create=extend_schema(request=s.CaseWriteSerializer, responses={201: s.CaseSerializer},
                         summary="新建预审案件草稿"),
    update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer,
                         summary="修改草稿（仅草稿状态）"),
    partial_update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer,
                                 summary="修改草稿（仅草稿状态）"),
)
class CaseViewSet(ScopedModelViewSet):
    """预审案件：草稿、上传文件、形式预检、提交、受理/不予受理、领取/分配、补正、正式申请号与实审结果、撤回。"""

    model = PreExamCase
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    ordering_fields = ["created_at", "submitted_at", "accepted_at", "concluded_at", "number", "state"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def refine_queryset(self, qs):
        return qs.select_related("organization", "technical_field", "examiner")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "deadlines": s.deadlines_by_case([c.pk for c in rows])}
        data = s.CaseSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _detail(self, case, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=case.pk).first() or case
        return Response(s.CaseSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    # drafts -------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        user = request.user
        if not (user.organization_id and user.has_role(roles.APPLICANT, roles.AGENCY)):
            raise exceptions.PermissionDenied(_("只有企业或代理机构用户可以新建预审案件。"))
        data = validated(s.CaseWriteSerializer, request)
        case = services.create_draft(user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        case = self.get_object()
        _require_filer(case, request.user)
        ser = s.CaseWriteSerializer(case, data=request.data, partial=partial,
                                    context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        try:
            locked = services.update_draft(case, request.user, **ser.validated_data)
        except ValidationError as exc:
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
        return self._detail(locked)

    # documents ----------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=s.AttachmentSerializer(many=True),
                   summary="当前版本的申请文件")
    @extend_schema(methods=["POST"], request=s.DocumentUploadSerializer, responses={201: s.AttachmentSerializer},
                   summary="上传申请文件（草稿；替换该类别的当前版本）")
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            rows = [a for a in attachments_of(case).filter(purpose=DOCUMENT_PURPOSE).order_by("uploaded_at", "pk")
                    if a.label in services.DOCUMENT_ROLES]
            rows.sort(key=lambda a: services.DOCUMENT_ROLES.index(a.label))
            return Response(s.AttachmentSerializer(rows, many=True).data)
        _require_filer(case, request.user)
        data = validated(s.DocumentUploadSerializer, request)
        try:
            validate_upload(data["file"], DOCUMENT_PURPOSE)
        except ValidationError as exc:
            raise exceptions.ValidationError({"file": exc.messages})
        with transaction.atomic():
            locked = PreExamCase.objects.select_for_update().get(pk=case.pk)  # scoped: re-read under lock; case from get_object
            if locked.state != PreExamCase.State.DRAFT:
                raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [
                    _("只有草稿可以上传申请文件；需补正时请通过补正提交新版本。")]})
            current = None
            if data["replace"]:
                current = attachments_of(locked).filter(purpose=DOCUMENT_PURPOSE, label=data["role"]).first()
            att = call_service(store_upload, data["file"], DOCUMENT_PURPOSE, request.user, owner=locked,
                       label=data["role"], supersedes=current)
        return Response(s.AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PrecheckResultSerializer, summary="形式预检（不改变案件状态）")
    @action(detail=True, methods=["post"])
    def precheck(self, request, pk=None):
        case = self.get_object()
        if not (acts_for_case(request.user, case) or request.user.is_internal):
            raise exceptions.PermissionDenied()
        findings = [shown_finding(f) for f in call_service(services.run_formal_precheck, case)]
        return Response({"blocking": sum(1 for f in findings if f["severity"] == "block"), "findings": findings})

    # filing and acceptance -----------------------------------------------------

    @extend_schema(request=None, responses=s.CaseSerializer, summary="提交预审")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        case = self.get_object()
        _require_transition(case, "submit", request.user)
        return self._detail(call_service(services.submit_case, case, request.user))

    @extend_schema(request=s.CommentSerializer, responses=s.CaseSerializer, summary="受理")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        case = self.get_object()
        _require_transition(case, "accept", request.user)
        comment = validated(s.CommentSerializer, request)["comment"]
        return self._detail(call_service(services.accept_case, case, request.user, comment))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, summary="不予受理")
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        case = self.get_object()
        _require_transition(case, "refuse", request.user)
        reason = validated(s.ReasonSerializer, request)["reason"]
        return self._detail(call_service(services.refuse_case, case, request.user, reason))

    @extend_schema(request=None, responses={200: s.CaseSerializer, 204: None},
                   summary="领取下一件（无待领取案件时返回 204）")
    @action(detail=False, methods=["post"])
    def claim_next(self, request):
        case = call_service(services.claim_next, request.user)
        if case is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(case)

    @extend_schema(request=s.AssignSerializer, responses=s.CaseSerializer, summary="分配或改派预审员")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self.get_object()
        examiner = validated(s.AssignSerializer, request)["examiner"]
        return self._detail(call_service(services.assign_case, case, examiner, request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, summary="终止（中心管理人员）")
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        case = self.get_object()
        _require_transition(case, "terminate", request.user)
        reason = validated(s.ReasonSerializer, request)["reason"]
        return self._detail(call_service(services.terminate_case, case, request.user, reason))

    @extend_schema(request=s.RequiredCommentSerializer, responses=s.CaseSerializer, summary="撤回（申请人）")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        case = self.get_object()
        _require_transition(case, "withdraw", request.user)
        reason = validated(s.RequiredCommentSerializer, request)["comment"]
        return self._detail(call_service(services.withdraw_case, case, request.user, reason))

    # examination ---------------------------------------------------------------

    @extend_schema(request=None, responses=s.OpinionSerializer, summary="本轮预审意见（没有则新建草稿）")
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        case = self.get_object()
        opinion = call_service(services.start_opinion, case, request.user)
        return Response(s.OpinionSerializer(opinion).data)

    @extend_schema(request=s.CorrectionSerializer, responses=s.CaseSerializer,
                   summary="提交补正（各类别的新版本文件与补正说明）")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def correction(self, request, pk=None):
        case = self.get_object()
        _require_filer(case, request.user)
        data = validated(s.CorrectionSerializer, request)
        files = {role: data[role] for role in services.DOCUMENT_ROLES if data.get(role)}
        errors = {}
        for role, upload in files.items():
            try:
                validate_upload(upload, DOCUMENT_PURPOSE)
            except ValidationError as exc:
                errors[role] = exc.messages
        if errors:
            raise exceptions.ValidationError(errors)
        return self._detail(call_service(services.submit_correction, case, request.user, files, data["note"]))

    # after the pre-exam ---------------------------------------------------------

    @extend_schema(request=s.CnipaFilingSerializer, responses=s.CaseSerializer,
                   summary="登记国家知识产权局正式申请号")
    @action(detail=True, methods=["post"])
    def cnipa_filing(self, request, pk=None):
        case = self.get_object()
        data = validated(s.CnipaFilingSerializer, request)
        return self._detail(call_service(services.record_cnipa_filing, case, request.user, **data))

    @extend_schema(request=s.CnipaOutcomeSerializer, responses=s.CaseSerializer, summary="登记实审结果")
    @action(detail=True, methods=["post"])
    def cnipa_outcome(self, request, pk=None):
        case = self.get_object()
        data = validated(s.CnipaOutcomeSerializer, request)
        return self._detail(call_service(services.record_cnipa_outcome, case, request.user, **data))


# --- opinions -------------------------------------------------------------------------------

class OpinionViewSet(ScopedReadOnlyViewSet):
    """预审意见及缺陷条目（申请人只能看到已签发的意见）。"""

    serializer_class = s.OpinionSerializer
    filterset_class = OpinionFilterSet
    ordering_fields = ["created_at", "issued_at", "round"]

    def refine_queryset(self, qs):
        return qs.select_related("case", "author").prefetch_related(
            Prefetch("items", queryset=DefectItem.objects.select_related("defect_type")))

    def _response(self, opinion, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=opinion.pk).first() or opinion
        return Response(s.OpinionSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.DefectItemWriteSerializer, responses={201: s.DefectItemSerializer},
                   summary="添加缺陷条目（撰写人，未提交的意见）")
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        opinion = self.get_object()
        data = validated(s.DefectItemWriteSerializer, request)
        item = call_service(services.add_defect_item, opinion, request.user, **data)
        return Response(s.DefectItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OpinionSubmitSerializer, responses=s.OpinionSerializer,
                   summary="提交签发（无阻止签发的检查时立即签发）")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        opinion = self.get_object()
        data = validated(s.OpinionSubmitSerializer, request)
        return self._response(call_service(services.submit_opinion, opinion, request.user, **data))


class DefectTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """缺陷类型目录（启用的条目；参考数据，所有登录用户可见）。"""

    serializer_class = s.DefectTypeSerializer
    queryset = DefectType.objects.filter(active=True).order_by("sort_order", "code")
    pagination_class = None
    filter_backends = []
