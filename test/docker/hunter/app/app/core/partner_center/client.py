"""Partner Center's referrals API."""
import httpx


def get_referrals(api_url: str, token: str) -> list:
    response = httpx.get(
        f"{api_url.rstrip('/')}/v1/referrals",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5.0,
    )
    response.raise_for_status()
    return response.json().get("value", [])
