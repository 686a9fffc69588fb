from app.config import get_settings
from app.core.celery_app import celery_app
from app.core.logging import get_logger
from app.core.partner_center.auth import get_access_token
from app.core.partner_center.client import get_referrals

log = get_logger()
COUNTS = {"success_count": 0, "failure_count": 0, "skipped_count": 0}


@celery_app.task(name="app.core.tasks.sync_partner_center_referrals_task", bind=True)
def sync_partner_center_referrals_task(self):
    settings = get_settings()
    if not settings.partner_center_enabled:
        log.info("partner_center_sync_skipped", reason="feature_flag_disabled", feature_flag_state=False)
        return {"status": "skipped", "reason": "Feature flag disabled", **COUNTS}
    log.info("partner_center_sync_task_started", task_id=self.request.id)
    log.info("partner_center_sync_started")
    log.info("partner_center_fetching_referrals")
    token = get_access_token(settings)
    referrals = get_referrals(settings.partner_center_api_url, token)
    if referrals:
        log.info("partner_center_referrals_fetched", count=len(referrals))
    else:
        log.info("partner_center_no_referrals")
    counts = {**COUNTS, "success_count": len(referrals)}
    log.info("partner_center_sync_completed", **counts)
    return {"status": "success", **counts}
