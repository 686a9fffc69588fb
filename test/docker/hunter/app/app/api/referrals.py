from fastapi import APIRouter, HTTPException

from app.config import get_settings
from app.core.partner_center.auth import TokenAcquisitionError, get_access_token

router = APIRouter()


@router.post("/api/referrals/sync")
def sync_referrals():
    settings = get_settings()
    if not settings.partner_center_enabled:
        raise HTTPException(
            status_code=400,
            detail="Partner Center integration is disabled. Enable feature flag to use this endpoint.",
        )
    try:
        get_access_token(settings)
    except TokenAcquisitionError as exc:
        raise HTTPException(status_code=500, detail=f"Failed to start referral sync: {exc}") from exc
    from app.core.tasks import sync_partner_center_referrals_task

    task = sync_partner_center_referrals_task.delay()
    return {
        "success": True,
        "message": "Referral sync task enqueued. Check logs for results.",
        "enqueued": True,
        "task_id": task.id,
        "success_count": 0,
        "failure_count": 0,
        "skipped_count": 0,
        "errors": [],
    }
