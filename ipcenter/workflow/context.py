"""The id that ties together the timeline events of one request or one background task."""
import contextvars
import uuid

request_id_var = contextvars.ContextVar("ipcenter_request_id", default="")


def new_request_id():
    return uuid.uuid4().hex


def current_request_id():
    """The current request's id, or a fresh one per call outside any request."""
    return request_id_var.get() or ""
