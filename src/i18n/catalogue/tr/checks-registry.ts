import type { Catalogue } from '../shape.ts';

/** The checks' titles in the Turkish runbook's own words (its results template). */
export const registry: Catalogue['checks']['registry'] = {
  envVars: {
    title: 'Ortam değişkenleri dolu',
    step: 'FAZ 0, adım 1: Doğru ortamda mısın? (`.env` dört değişkenin hepsini içeriyor)',
    expected: '{{vars}} env dosyasında tanımlı ve dolu',
    hint: 'Önce eksik HUNTER_PARTNER_CENTER_* değişkenlerini env dosyasına ekle; hepsi dolu olmadan devam etme.',
  },
  dbMigrate: {
    title: 'Migration başarılı',
    step: 'FAZ 0, adım 2: DB migration çalıştır',
    expected: 'api servisinde `alembic upgrade head` 0 koduyla çıkıyor',
    hint: 'Migration başarısız: yukarıdaki hatayı oku ve önce bunu çöz (veritabanına erişiliyor mu? migration çakışması mı?), diğerlerine geçme.',
  },
  dbTable: {
    title: 'Tablo görünüyor',
    step: 'FAZ 0, adım 3: tabloyu kontrol et',
    expected:
      'partner_center_referrals tablosu: referral_id varchar(255) not null, referral_type varchar(50), domain varchar(255)',
    hint: 'Tablo yok ya da yapısı yanlış: migration çalıştır (`alembic upgrade head`) ve migration script’ini kontrol et.',
  },
  flagOff: {
    title: "Flag OFF'a çekildi ve uygulandı",
    step: "FAZ 1, adım 1: `.env` içinde flag'i false yap, api ve worker'ı restart et",
    expected:
      'env dosyasında HUNTER_PARTNER_CENTER_ENABLED=false, api ve worker restart edildi, /healthz cevap veriyor',
    hint: "Önce OFF path'i düzelt; FAZ 1'in bütün kontrolleri PASS olmadan flag'i ON'a çevirmeyi düşünme.",
  },
  healthOff: {
    title: 'Health: false',
    step: 'FAZ 1, adım 2: health check',
    expected: 'GET /healthz → partner_center_enabled: false dönüyor',
    hint: "api restart'tan sonra flag'i hâlâ ON gösteriyor. {{restartKeepsOldEnv}}",
  },
  apiOff: {
    title: 'API: 400 + düzgün hata',
    step: 'FAZ 1, adım 3: API endpoint testi (OFF)',
    expected:
      'POST /api/referrals/sync → HTTP 400, body: "Partner Center integration is disabled. Enable feature flag to use this endpoint."',
    hint: "API 200 dönüyor → API'deki feature flag check'i çalışmıyor (app/api/referrals.py).",
  },
  taskOff: {
    title: 'Task: status="skipped"',
    step: 'FAZ 1, adım 4: Celery task testi (OFF)',
    expected: "celery task sonucu {'status': 'skipped', 'reason': 'Feature flag disabled', sayılar 0}",
    hint: "Task OFF iken çalışıyor → Celery task'taki feature flag check'i çalışmıyor (app/core/tasks.py).",
  },
  logsOff: {
    title: 'Log: "skip/feature_flag_disabled" görünüyor',
    step: 'FAZ 1, adım 5: log kontrolü',
    expected:
      'bu fazdan beri worker log’ları: partner_center_sync_skipped, reason feature_flag_disabled, feature_flag_state false; "sync started"/"enabled" yok',
    hint: 'OFF log’larında "enabled" veya "sync started" görünüyor → logging (ya da flag check’i) yanlış.',
  },
  deviceCode: {
    title: 'Device Code Flow başarılı',
    step: 'FAZ 2, adım 1: Device Code Flow ile ilk login (cache `.token_cache` dosyasına kaydedilir)',
    expected:
      'talep eden kişi device code ile oturum açıyor (MSAL PublicClientApplication, Hunter’ın client ve tenant’ı)',
    hint:
      'Device Code Flow hata veriyor → Azure AD app registration ya da credentials yanlış: App Registration’ı ve ' +
      'Partner Center API permissions’ı kontrol et, sonra flow’u tekrar çalıştır. Auth çalışmadan flag’i asla ON yapma.',
  },
  cacheInstalled: {
    title: 'Token cache oluşmuş',
    step: 'FAZ 2, adım 3: `.token_cache` api container içinde var',
    expected: '.token_cache api servisine yazıldı (mod 0600) ve değişmeden geri okundu',
    hint: "Token cache api servisine yazılamadı: {{execInApi}} komutunun elle çalıştığını ve api'nin çalışma dizinine yazılabildiğini kontrol et.",
  },
  silent: {
    title: 'Silent token acquisition çalışıyor',
    step: 'FAZ 2, adım 2: silent acquisition',
    expected: 'cache’teki hesap için acquireTokenSilent bir access token döndürüyor',
    hint: 'Silent acquisition çalışmıyor → token cache düzgün oluşmamış: Device Code Flow’u tekrar çalıştır.',
  },
  flagOn: {
    title: "Flag ON'a çekildi ve uygulandı",
    step: "FAZ 3, adım 1: `.env` içinde flag'i true yap, api ve worker'ı restart et",
    expected:
      'env dosyasında HUNTER_PARTNER_CENTER_ENABLED=true, api ve worker restart edildi, /healthz cevap veriyor',
    hint: "Flag ON'a çevrilemedi: yukarıdaki restart sorununu çöz ve tekrar çalıştır.",
  },
  healthOn: {
    title: 'Health: true',
    step: 'FAZ 3, adım 2: health check (ON)',
    expected: 'GET /healthz → partner_center_enabled: true dönüyor',
    hint: "api restart'tan sonra flag'i hâlâ OFF gösteriyor. {{restartKeepsOldEnv}}",
  },
  apiOn: {
    title: 'API: 200 + task enqueued',
    step: 'FAZ 3, adım 3: API endpoint testi (ON)',
    expected:
      'POST /api/referrals/sync → HTTP 200, body: {"success": true, "enqueued": true, "task_id": "…"}',
    hint: "API 500 dönüyor → token cache yok veya bozuk: FAZ 2'ye geri dön.",
  },
  logsOn: {
    title: 'Worker log: Task çalışıyor, exception yok',
    step: 'FAZ 3, adım 4: worker log kontrolü',
    expected:
      'bu fazdan beri worker log’ları: partner_center_sync_task_started, partner_center_sync_started, ' +
      'partner_center_fetching_referrals; exception, traceback ya da hata satırı yok',
    hint:
      "Worker exception veriyor → Partner Center API'ye erişilemiyor ya da credentials yanlış: worker'dan network " +
      "connectivity'yi ve Partner Center API credentials'ı kontrol et.",
  },
  taskOn: {
    title: 'Task başarıyla çalıştı',
    step: 'FAZ 3, adım 5: task status kontrolü',
    expected: 'kuyruğa alınan task exception olmadan bitti',
    hint:
      "Worker exception veriyor → Partner Center API'ye erişilemiyor ya da credentials yanlış: worker'dan network " +
      "connectivity'yi ve Partner Center API credentials'ı kontrol et.",
  },
  flagOffAgain: {
    title: "Flag OFF'a çekildi ve uygulandı",
    step: 'Karar matrisi: flag tekrar OFF olur (yine FAZ 1, adım 1)',
    expected:
      'env dosyasında HUNTER_PARTNER_CENTER_ENABLED=false, api ve worker restart edildi, /healthz cevap veriyor',
    hint: "Flag OFF'a ÇEKİLEMEDİ: hâlâ ON olabilir. Hemen elle kapat: env dosyasında false yap, sonra {{restart}}.",
  },
  healthOffAgain: {
    title: 'Health: false',
    step: 'Karar matrisi: flag tekrar OFF olur (yine FAZ 1, adım 2)',
    expected: 'GET /healthz → partner_center_enabled: false dönüyor',
    hint: "Hunter flag'i hâlâ ON gösteriyor. Hemen elle kapat; restart env dosyasını yeniden okumuyorsa {{recreate}}.",
  },
};
