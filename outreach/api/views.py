"""Viewsets of the outreach API: staff endpoints scoped with visible_to and the same FilterSets
as the pages; public endpoints read-only and published-only; writes go through services."""
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ipcenter.api import ScopedModelViewSet, ScopedReadOnlyViewSet, call_service, validated

from .. import services
from ..filters import EventFilterSet, PublicationFilterSet, RegistrationFilterSet
from ..models import Event, PracticeBase, Publication, Registration, is_event_staff, is_outreach_staff
from . import serializers as s


class EventStaffPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return is_event_staff(request.user)


class OutreachStaffPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_outreach_staff(request.user)


class EventViewSet(ScopedModelViewSet):
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet
    permission_classes = [permissions.IsAuthenticated, EventStaffPermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def refine_queryset(self, qs):
        return qs.select_related("station")

    def perform_create(self, serializer):
        serializer.instance = call_service(services.save_event, Event(**serializer.validated_data), self.request.user)

    def perform_update(self, serializer):
        event = serializer.instance
        for k, v in serializer.validated_data.items():
            setattr(event, k, v)
        serializer.instance = call_service(services.save_event, event, self.request.user,
                                           changed=list(serializer.validated_data))

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        event = self.get_object()
        result = services.check_in(event, validated(s.CheckInSerializer, request)["code"], request.user)
        reg = result.registration
        return Response({"status": result.status, "message": result.message,
                         "registration": reg.pk if reg else None,
                         "checked_in_at": result.at})

    @action(detail=True, methods=["post"], url_path="walk-ins")
    def walk_in(self, request, pk=None):
        event = self.get_object()
        reg = call_service(services.register, event, source=Registration.Source.WALK_IN, actor=request.user,
                           **validated(s.WalkInSerializer, request))
        return Response(s.RegistrationSerializer(reg).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request=s.AccountRegistrationSerializer, responses={201: s.RegistrationSerializer},
                         summary="登录用户报名活动（与报名页面同一规则：名额、候补、报名对象、审核）"),
)
class RegistrationViewSet(ScopedReadOnlyViewSet):
    """Staff read the registrations of their events, a registrant their own; a signed-in user
    registers with POST (the page's service and rules)."""

    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilterSet

    def create(self, request, *args, **kwargs):
        from rest_framework.exceptions import NotFound

        data = dict(validated(s.AccountRegistrationSerializer, request))
        event = Event.objects.published().filter(pk=data.pop("event")).first()
        if event is None:  # unpublished or unknown: as the page, nothing to register for
            raise NotFound
        user = request.user
        data["name"] = data["name"].strip() or user.get_full_name() or user.username
        data["organization_name"] = data["organization_name"].strip() or (
            user.organization.name if user.organization_id else "")
        reg = call_service(services.register, event, user=user, source=Registration.Source.ACCOUNT, **data)
        return Response(s.RegistrationSerializer(reg).data, status=status.HTTP_201_CREATED)

    def _act(self, func, *args):
        reg = call_service(func, self.get_object(), *args)
        return Response(s.RegistrationSerializer(reg).data)

    def _staff(self):
        from rest_framework.exceptions import NotFound

        if not Event.objects.visible_to(self.request.user).filter(pk=self.get_object().event_id).exists():
            raise NotFound

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(services.cancel_registration, request.user)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        self._staff()
        return self._act(services.decide_registration, request.user, True)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        self._staff()
        return self._act(services.decide_registration, request.user, False)

    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        self._staff()
        return self._act(services.mark_no_show, request.user)


class PublicationPdfMixin:
    """Serializers of publications get the current PDFs of the instances shown (one query)."""

    def get_serializer(self, *args, **kwargs):
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            objs = instance if isinstance(instance, (list, tuple, QuerySet)) else [instance]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["pdfs"] = services.publication_pdfs(objs)
        return super().get_serializer(*args, **kwargs)


class PublicationViewSet(PublicationPdfMixin, ScopedModelViewSet):
    """Staff publications: created and changed through ``services.save_publication``, as on the
    page (its date checks, the PDF stored as the next version, the timeline); a refusal is a 400
    with field errors and saves nothing."""

    serializer_class = s.PublicationSerializer
    filterset_class = PublicationFilterSet
    permission_classes = [permissions.IsAuthenticated, OutreachStaffPermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _save(self, serializer, publication):
        data = dict(serializer.validated_data)
        pdf = data.pop("pdf", None)
        for k, v in data.items():
            setattr(publication, k, v)
        saved = call_service(services.save_publication, publication, self.request.user, pdf=pdf)
        serializer.instance = saved
        # the response shows the stored PDF (the mixin reads them when the serializer is made)
        serializer.context["pdfs"] = services.publication_pdfs([saved])

    def perform_create(self, serializer):
        self._save(serializer, Publication())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class PracticeBaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = s.PracticeBaseSerializer


class PublicEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Published events, for anyone."""

    serializer_class = s.PublicEventSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def get_queryset(self):
        return Event.objects.published().order_by("starts_at")


class PublicPublicationViewSet(PublicationPdfMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PublicationSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def get_queryset(self):
        return Publication.objects.published()


class PublicPracticeBaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PublicPracticeBaseSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    def get_queryset(self):
        return PracticeBase.objects.published().select_related("league").prefetch_related("firms")
