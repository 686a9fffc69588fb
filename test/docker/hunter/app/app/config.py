"""Settings from the environment and `.env` (prefix HUNTER_); a real environment variable wins."""
from functools import lru_cache

from pydantic import BaseSettings


class Settings(BaseSettings):
    partner_center_enabled: bool = False
    partner_center_client_id: str = ""
    partner_center_tenant_id: str = ""
    partner_center_api_url: str = ""
    partner_center_scope: str = "https://api.partnercenter.microsoft.com/user_impersonation"
    partner_center_authority_host: str = "https://login.microsoftonline.com"
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    token_cache_path: str = ".token_cache"

    class Config:
        env_prefix = "HUNTER_"
        env_file = ".env"


@lru_cache
def get_settings() -> Settings:
    return Settings()
