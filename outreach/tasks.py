"""Celery tasks of outreach (thin: the rules are in services)."""
from celery import shared_task


@shared_task
def send_feedback_requests():
    from .services import send_due_feedback_requests

    return send_due_feedback_requests()
