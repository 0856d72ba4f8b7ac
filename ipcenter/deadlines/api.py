from rest_framework import serializers

from ipcenter.api import ScopedReadOnlyViewSet

from .filters import DeadlineFilterSet
from .models import Deadline


class DeadlineSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="display_label", read_only=True,
                                  help_text="名称，使用用户所选的界面语言（语言 Cookie）")

    class Meta:
        model = Deadline
        fields = ["id", "kind", "label", "rule", "amount", "starts_at", "due_at", "state", "closed_at", "url"]


class DeadlineViewSet(ScopedReadOnlyViewSet):
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
    ordering_fields = ["due_at"]
