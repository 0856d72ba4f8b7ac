from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import NavigationProject, NavigationReport, Patent, PatentImport, ProjectPhase


class PhaseSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    owner = serializers.StringRelatedField()
    state = serializers.CharField(read_only=True, help_text="pending / done / overdue")

    class Meta:
        model = ProjectPhase
        fields = ["id", "project", "kind", "kind_label", "order", "owner", "due_date", "started_at", "done_at",
                  "state"]


class ProjectSerializer(serializers.ModelSerializer):
    project_type_label = serializers.CharField(source="get_project_type_display", read_only=True)
    lead = serializers.StringRelatedField()
    client = serializers.CharField(source="client_label", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)

    class Meta:
        model = NavigationProject
        fields = ["id", "name", "project_type", "project_type_label", "client", "lead", "topic", "ipc_scope",
                  "regions", "year_from", "year_to", "search_strategy", "databases", "status", "created_at", "phases"]


class ImportSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="attachment.original_name", read_only=True)
    status = serializers.ChoiceField(source="live_status", choices=PatentImport.Status.choices, read_only=True,
                                     help_text="running while the import job runs (the row says queued until it ends)")
    progress = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(min_value=0, max_value=100))
    def get_progress(self, obj):
        from ..services import import_progress

        return import_progress(obj)

    class Meta:
        model = PatentImport
        fields = ["id", "project", "file_name", "file_kind", "encoding", "source", "database_name", "cutoff_date",
                  "status", "progress", "total_rows", "created_count", "merged_count", "error_count", "message",
                  "created_at", "finished_at"]


_PROBLEMS_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "row": {"type": "integer"}, "column": {"type": "string"}, "problem": {"type": "string"}}}}


class ShownErrorsField(serializers.Field):
    """The import's problems (row, column, problem), each problem in the reader's language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return obj.shown_errors()


ShownErrorsField = extend_schema_field(_PROBLEMS_SCHEMA)(ShownErrorsField)


class ImportErrorsSerializer(ImportSerializer):
    errors = ShownErrorsField()

    class Meta(ImportSerializer.Meta):
        fields = ImportSerializer.Meta.fields + ["errors"]


class ImportErrorReportSerializer(serializers.ModelSerializer):
    """What ``imports/{id}/errors/`` answers: the import's state and its problem list."""

    status = serializers.ChoiceField(source="live_status", choices=PatentImport.Status.choices, read_only=True)
    errors = ShownErrorsField()

    class Meta:
        model = PatentImport
        fields = ["id", "status", "error_count", "errors", "message"]
        read_only_fields = fields


class AnalysisSerializer(serializers.Serializer):
    """One analysis of a project (``projects/{id}/analyses/{section}/``)."""

    section = serializers.CharField()
    label = serializers.CharField()
    filters = serializers.DictField(help_text="生效的筛选条件（请求中非空的筛选参数）")
    data = serializers.JSONField(help_text="该分析的数据（结构随分析而定）")


class PatentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patent
        fields = ["id", "project", "publication_number", "application_number", "title", "application_date",
                  "publication_date", "grant_date", "applicants_text", "inventors_text", "ipc_main", "ipc_text",
                  "legal_status", "legal_status_raw", "family_key", "family_size", "cited_count", "country",
                  "province", "city", "applicant_kind"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = NavigationReport
        fields = ["id", "project", "version", "title", "sections", "delivered", "delivered_at", "created_at"]
