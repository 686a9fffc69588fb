from celery import Celery

from app.config import get_settings

settings = get_settings()
celery_app = Celery("hunter", broker=settings.redis_url, backend=settings.redis_url, include=["app.core.tasks"])
celery_app.conf.update(task_track_started=True, broker_connection_retry_on_startup=True)
app = celery_app
