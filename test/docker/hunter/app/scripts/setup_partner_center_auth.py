"""The runbook's Phase 2 by hand: device-code login into `.token_cache`; `--silent` checks it."""
import os
import sys

import msal

from app.config import get_settings


def main() -> int:
    settings = get_settings()
    cache = msal.SerializableTokenCache()
    if os.path.exists(settings.token_cache_path):
        with open(settings.token_cache_path, encoding="utf-8") as f:
            cache.deserialize(f.read())
    app = msal.PublicClientApplication(
        settings.partner_center_client_id,
        authority=f"{settings.partner_center_authority_host}/{settings.partner_center_tenant_id}",
        token_cache=cache,
        validate_authority=settings.partner_center_authority_host == "https://login.microsoftonline.com",
    )
    scopes = [settings.partner_center_scope]
    if "--silent" in sys.argv:
        accounts = app.get_accounts()
        result = app.acquire_token_silent(scopes, account=accounts[0]) if accounts else None
        print("silent: ok" if result and "access_token" in result else "silent: FAILED")
        return 0 if result and "access_token" in result else 1
    flow = app.initiate_device_flow(scopes=scopes)
    if "user_code" not in flow:
        print(f"device flow failed: {flow.get('error_description', flow)}")
        return 1
    print(f"Go to {flow['verification_uri']} and enter the code {flow['user_code']}", flush=True)
    result = app.acquire_token_by_device_flow(flow)
    if "access_token" not in result:
        print(f"login failed: {result.get('error')}: {result.get('error_description')}")
        return 1
    fd = os.open(settings.token_cache_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as f:
        f.write(cache.serialize())
    print(f"signed in; token cache saved to {settings.token_cache_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
