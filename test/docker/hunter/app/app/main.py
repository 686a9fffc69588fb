from fastapi import FastAPI

from app.api.referrals import router
from app.config import get_settings

app = FastAPI(title="Hunter")
app.include_router(router)


@app.get("/healthz")
def healthz():
    return {"partner_center_enabled": get_settings().partner_center_enabled}
