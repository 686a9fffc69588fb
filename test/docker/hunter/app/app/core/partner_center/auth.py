"""The token the runbook's setup script left in `.token_cache`, through MSAL's silent flow."""
import os

import msal

from app.config import Settings


class TokenAcquisitionError(Exception):
    pass


def get_access_token(settings: Settings) -> str:
    cache = msal.SerializableTokenCache()
    if not os.path.exists(settings.token_cache_path):
        raise TokenAcquisitionError("Token acquisition failed. Run setup script to authenticate.")
    with open(settings.token_cache_path, encoding="utf-8") as f:
        try:
            cache.deserialize(f.read())
        except ValueError as exc:
            raise TokenAcquisitionError("Token acquisition failed. Run setup script to authenticate.") from exc
    app = msal.PublicClientApplication(
        settings.partner_center_client_id,
        authority=f"{settings.partner_center_authority_host}/{settings.partner_center_tenant_id}",
        token_cache=cache,
        # Instance discovery asks login.microsoftonline.com about other hosts (a private cloud, tests).
        validate_authority=settings.partner_center_authority_host == "https://login.microsoftonline.com",
    )
    accounts = app.get_accounts()
    result = app.acquire_token_silent([settings.partner_center_scope], account=accounts[0]) if accounts else None
    if not result or "access_token" not in result:
        raise TokenAcquisitionError("Token acquisition failed. Run setup script to authenticate.")
    if cache.has_state_changed:
        # Only Hunter writes the cache after the handoff (a refreshed token lands here).
        tmp = f"{settings.token_cache_path}.tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
            f.write(cache.serialize())
        os.replace(tmp, settings.token_cache_path)
    return result["access_token"]
