"""The OpenAPI schema as the API really answers (drf-spectacular): ``PortalAutoSchema`` documents
what drf-spectacular cannot see by itself, ``postprocess`` fixes the rest of the document.

- Read-only fields keep the blank and null values of their model field: DRF drops
  ``allow_blank`` from read-only fields, and a field read through a relation that may be missing
  (``organization.name``, a reverse one-to-one such as a dispute's ``agreement``) is ``null``
  whenever the relation is.
- Only the ``list`` action pages and filters (``ScopedViewSetMixin.filter_queryset``); other
  actions answering many rows (``cases/{id}/documents/``) answer a bare array, without filters.
- Error answers are documented on every operation with the bodies ``exception_handler`` writes:
  ``ValidationError`` (400: field → messages, ``non_field_errors``, or ``detail`` for an
  unreadable body) and ``ErrorDetail`` (403, 404, 409: ``{"detail": "..."}``).
- Every query parameter may be sent empty: an empty filter value is no filter
  (``allowEmptyValue``), as the HTML filter forms send them.
"""
import copy

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

ERROR_DETAIL = {
    "type": "object",
    "description": "错误说明（403 无权限或未登录、404 记录不存在或不在您的范围内、409 相同 Idempotency-Key 的请求仍在处理）。",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "输入有误，未做任何更改：字段名 → 错误信息列表（嵌套数据为对象或对象列表）；"
                   "不属于某一字段的信息在 non_field_errors；请求体无法解析时为 detail。",
    "properties": {
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
        "detail": {"type": "string"},
    },
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}
EMPTY_IS_ABSENT = "留空等同于不传此参数。"


def _model_field_chain(field):
    """The model fields a serializer field reads through its ``source`` (``[]`` when unknown)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*":
        return []
    chain = []
    for name in source.split("."):
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            return chain if chain else []
        chain.append(model_field)
        model = getattr(model_field, "related_model", None)
        if model is None:
            break
    return chain


def _may_be_missing(model_field):
    if getattr(model_field, "one_to_one", False) and model_field.auto_created and not model_field.concrete:
        return True  # a reverse one-to-one: the other row may not exist
    return bool(getattr(model_field, "null", False))


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema is None or direction != "response" or not getattr(field, "read_only", False):
            return schema
        chain = _model_field_chain(field)
        if not chain:
            return schema
        last = chain[-1]
        if (isinstance(field, serializers.ChoiceField) and not getattr(field, "allow_blank", False)
                and getattr(last, "blank", False) and getattr(last, "choices", None)
                and "" not in [c for c, _label in last.choices]):
            field = copy.copy(field)
            field.allow_blank = True  # the column may hold "" (no choice yet): document it
            schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if any(_may_be_missing(f) for f in chain) and not schema.get("nullable"):
            if "$ref" in schema:
                schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
            schema["nullable"] = True
        return schema

    # lists -------------------------------------------------------------------------------

    def _lists_rows(self):
        action = getattr(self.view, "action", None)
        return action is None or action == "list"

    def _get_paginator(self):
        return super()._get_paginator() if self._lists_rows() else None

    def get_filter_backends(self):
        return super().get_filter_backends() if self._lists_rows() else []

    # headers -----------------------------------------------------------------------------

    def _idempotent(self):
        from ipcenter.api import IdempotentMixin

        return self.method == "POST" and isinstance(self.view, IdempotentMixin)

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._idempotent():
            params.append(OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                description="1–255 个字符；同一用户以相同的键与请求体重复 POST 时只执行一次，"
                            "重复请求得到第一次的应答（头 Idempotent-Replayed: true）。"))
        return params

    # errors ------------------------------------------------------------------------------

    def _error_ref(self, name, schema):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref

    def _checks_query(self):
        """A FilterSet or declared query parameters: a malformed value is a 400."""
        filterset = getattr(self.view, "filterset_class", None) or getattr(self.view, "filterset_fields", None)
        if filterset and self.get_filter_backends():
            return True
        return any(getattr(p, "location", None) == OpenApiParameter.QUERY for p in self.get_override_parameters())

    def _is_public(self):
        return all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        detail = {"content": {"application/json": {"schema": self._error_ref("ErrorDetail", ERROR_DETAIL)}}}
        invalid = {"content": {"application/json": {"schema": self._error_ref("ValidationError", VALIDATION_ERROR)}}}
        if self.method in ("POST", "PUT", "PATCH") or self._checks_query():
            responses.setdefault("400", {**invalid, "description": "输入有误（字段级错误信息），未做任何更改"})
        if not (self._is_public() and self.method == "GET"):
            responses.setdefault("403", {**detail, "description": "未登录或无权执行此操作"})
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            responses.setdefault("404", {**detail, "description": "记录不存在或不在您的范围内（列表：页码超出范围）"})
        if self._idempotent():
            responses.setdefault("409", {**detail, "description": "相同 Idempotency-Key 的请求仍在处理"})
        return responses


def postprocess(result, generator, request, public):
    """Schema-wide fixes: blank URLs are an ``anyOf`` (``""`` is not a URI, but a weak validator
    would accept it twice under ``oneOf``); every query parameter may be sent empty."""
    def walk(node):
        if isinstance(node, dict):
            one_of = node.get("oneOf")
            if (isinstance(one_of, list) and len(one_of) == 2 and {"type": "string", "maxLength": 0} in one_of):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    for item in result.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for param in op.get("parameters", []):
                if param.get("in") == "query":
                    param["allowEmptyValue"] = True
                    description = param.get("description", "")
                    if EMPTY_IS_ABSENT not in description:
                        param["description"] = f"{description}\n\n{EMPTY_IS_ABSENT}".strip()
    return result
