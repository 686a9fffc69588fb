"""structlog as JSON lines on stdout (Celery captures a task's stdout into its log)."""
import sys

import structlog

structlog.configure(
    processors=[
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.PrintLoggerFactory(sys.stdout),
    cache_logger_on_first_use=False,
)


def get_logger():
    return structlog.get_logger()
