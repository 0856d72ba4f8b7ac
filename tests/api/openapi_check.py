"""Validate JSON answers against the OpenAPI 3.0 document the portal serves.

OpenAPI 3.0 schemas are JSON Schema with a few differences; ``to_json_schema`` turns the
subset drf-spectacular writes (``nullable``, ``$ref`` to components, ``readOnly``) into plain
JSON Schema for ``jsonschema``.  Objects are closed (``additionalProperties: false`` unless the
document says otherwise): a field the API returns but the schema does not name is a lie too."""
import re

import jsonschema

_REF = re.compile(r"^#/components/schemas/(?P<name>.+)$")


def to_json_schema(node, strict=True):
    if isinstance(node, list):
        return [to_json_schema(n, strict) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("nullable", "readOnly", "writeOnly", "example", "examples", "discriminator", "xml",
                   "externalDocs", "deprecated"):
            continue
        if key == "$ref":
            match = _REF.match(value)
            out[key] = f"#/$defs/{match['name']}" if match else value
        elif key == "properties":
            out[key] = {name: to_json_schema(sub, strict) for name, sub in value.items()}
        else:
            out[key] = to_json_schema(value, strict)
    if strict and out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "$ref" in out and len(out) > 1:
            out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
        return {"anyOf": [{"type": "null"}, out]}
    return out


class Document:
    """The served schema with its components converted once."""

    def __init__(self, schema, strict=True):
        self.raw = schema
        self.defs = {name: to_json_schema(sub, strict)
                     for name, sub in schema.get("components", {}).get("schemas", {}).items()}

    def operations(self):
        for path, item in self.raw["paths"].items():
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    yield path, method, op

    def response_schema(self, op, status):
        responses = op.get("responses", {})
        response = responses.get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        body = content.get("application/json")
        if body is None:
            return {} if not content else None
        return body.get("schema", {})

    def errors(self, schema, instance):
        """The messages of ``instance`` against an OpenAPI response ``schema`` (empty: valid)."""
        root = {**to_json_schema(schema), "$defs": self.defs}
        validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:300]}"
                for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]
