import type { Catalogue } from '../shape.ts';

/** The checks in the Turkish runbook's words (docs/activation-plan.tr.md: "Kontrol", "Beklenen", "Yanlış ise"). */
export const checks: Catalogue['checks'] = {
  registry: {
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
  },
  run: {
    cancelled: 'çalıştırılmadı: çalıştırma iptal edildi',
    needs: 'çalıştırılmadı: {{what}} gerekiyor ve PASS olmadı',
    earlierCheck: 'önceki bir kontrol',
    stopped: 'durduruldu: çalıştırma iptal edildi',
    bug: 'pc-verify bu kontrolü bitiremedi: {{error}}',
    bugHint: 'Bu bir Hunter sorunu değil, pc-verify hatası: çalıştırma kimliği ve log ile bildir.',
  },
  env: {
    noFile: '{{path}} dosyasını oluştur ya da driver.envFile ayarını doğru dosyaya yönlendir.',
    fileNotFound: 'dosya bulunamadı',
    badLine: '{{path}} satır {{line}}: {{problem}}',
    set: 'dolu',
    missing: 'eksik',
    empty: 'boş',
    runningUnreadable: '{{observed}}; çalışan api’nin ortamı okunamadı ({{message}})',
    notSetInApi_one: '{{where}} {{names}} değişkenini tanımlamıyor; Hunter onu {{file}} dosyasından okur',
    notSetInApi_other:
      '{{where}} {{names}} değişkenlerini tanımlamıyor; Hunter onları {{file}} dosyasından okur',
    differs: 'çalışan api farklı bir {{names}} görüyor',
    differsHint:
      'api, env dosyasındakinden farklı değerlerle başlatılmış: bir sonraki restart’ta bunları alır.',
  },
  db: {
    migrated: '{{took}} içinde 0 koduyla çıktı{{last}}',
    unreachable:
      'pc-verify veritabanını sorgulayamadı: database.url ayarını ve bu makinenin PostgreSQL’e erişebildiğini kontrol et.',
    columns_one: '{{table}}: {{count}} kolon',
    columns_other: '{{table}}: {{count}} kolon',
    columnMissing: '{{name}} eksik',
    columnType: '{{name}} tipi {{type}}, varchar({{length}}) değil',
    columnNullable: '{{name}} nullable, not null bekleniyordu',
  },
  api: {
    noAnswer: 'api cevap vermedi: {{apiLogs}} çıktısına bak.',
    wrongRefusal:
      "API reddediyor ama runbook'taki mesajla değil: app/api/referrals.py içindeki OFF dalını kontrol et.",
    noTokenCache: "FAZ 2 kullanılabilir bir token cache bırakmadı: FAZ 2'ye geri dön ve tekrar login ol.",
    notTaskId: '{{observed}} (task_id bir task kimliği değil)',
  },
  task: {
    notAccepted: "Worker task'ı kabul etmedi: worker çalışıyor mu? {{status}} çıktısına bak.",
    outcome: 'task {{id}} sonucu: {{kind}}: {{text}}',
    returned: 'task {{id}} sonucu: {{text}}',
    noTaskId: "api.on'dan task kimliği gelmedi",
    noTaskIdPrinted: 'celery call task kimliği yazdırmadı: {{output}}',
  },
  logs: {
    unreadable: "Worker log'ları okunamadı: {{workerLogs}} komutunu kontrol et.",
    notRead: "log'lar okunmadı",
    lines_one: '{{since}} zamanından beri {{count}} satır',
    lines_other: '{{since}} zamanından beri {{count}} satır',
    wrongLine: '{{seen}}; yanlış satır: {{line}}',
    noSkip: '{{seen}}; reason {{reason}} ile {{event}} yok',
    missing: '{{seen}}; eksik: {{events}}',
    present: '{{seen}}; {{events}} var, exception yok',
  },
  login: {
    signedIn: '{{account}} olarak oturum açıldı',
    account: '{{username}} (nesne kimliği {{objectId}})',
    notAllowed:
      '{{account}} olarak oturum açıldı, bu hesap {{env}} için auth.allowedAccounts içinde değil: hiçbir şey kurulmadı',
    notAllowedHint:
      "İzin verilen hesaplardan biriyle ({{allowed}}) oturum aç, ya da Hunter'ın kimliği olması gerekiyorsa bu hesabı auth.allowedAccounts'a ekle.",
    stdinIsASocket:
      "installTokenCache komutu /dev/stdin'i açıyor; pc-verify onu bu makinede başlattığında bu başarısız olur (stdin " +
      "bir pipe değil, socket). Komutun stdin'i `cat` ile okumasını sağla: [sh, -c, '{{script}}', sh, <.token_cache yolu>] " +
      '(mod 0600, atomik olarak değiştirilir; bkz. pc-verify.example.yml).',
    digestDiffers: 'api servisindeki {{file}} dosyasının sha256 değeri {{digest}}…, yazılan değil',
    written: '.token_cache yazıldı ({{bytes}} bayt) ve geri okundu (sha256 {{digest}}…)',
    staged:
      '.token_cache.pending yazıldı ve geri okundu (sha256 {{digest}}); .token_cache yerine ancak onaydan sonra geçer',
    silentWorks: 'access token, kurulan cache’ten yenilendi',
  },
  health: {
    unhealthy: 'api sağlıklı değil: {{apiLogs}} çıktısına bak.',
    noFlag: '{{response}} (boolean partner_center_enabled yok)',
    noFlagHint:
      "Bu Hunter sürümü flag'i /healthz içinde göstermiyor: Partner Center entegrasyonu olan bir sürüm deploy et.",
    seen: 'partner_center_enabled değeri: {{seen}}',
    noAnswer: 'cevap yok: {{message}}',
    emptyBody: '(boş gövde)',
  },
  flag: {
    applyHint:
      "Flag uygulanamadı. Bu kullanıcının api ve worker'ı {{restart}} ile restart edebildiğini kontrol et ve tekrar dene.",
    cannotEdit: '{{path}} güvenli şekilde düzenlenemedi: {{problem}}',
    cannotEditHint:
      '{{path}} dosyasının o satırını elle düzelt (pc-verify ayrıştıramadığı bir dosyayı yeniden yazmaz), sonra tekrar çalıştır.',
    cannotLook: 'flag yazılmadan önce api ve worker incelenemedi: {{message}}',
    notHeld: 'bu worker artık ortamı tutmuyor (kilidi kaybedildi): hiçbir şey yazmadı',
    notHeldHint: "Çalıştırmayı başka bir worker alır ve flag değişikliğini bitirir; thread'i takip et.",
    writtenToFile: '{{assignment}} env dosyasına yazıldı',
    wasAlready: '{{name}} zaten {{value}} idi',
    written: '{{assignment}} yazıldı (yedek tutuldu)',
    already: '{{name}} zaten {{value}}',
    recreated: 'api ve worker yeniden oluşturuldu',
    restarted: 'api ve worker restart edildi',
    but: '{{wrote}}; {{how}}{{why}}, ancak {{observed}}',
    noHealth: '{{wrote}}; {{how}} ({{took}}), ancak /healthz {{limit}} içinde cevap vermedi (son: {{last}})',
    noHealthHint:
      "api restart'tan sonra geri gelmedi. Başlangıç hatası için {{apiLogs}} çıktısına bak; sadece yavaş başlıyorsa api.readyTimeout değerini artır.",
    applied_one: '{{wrote}}; {{how}} ({{took}}){{why}}; /healthz {{count}} denemede cevap verdi',
    applied_other: '{{wrote}}; {{how}} ({{took}}){{why}}; /healthz {{count}} denemede cevap verdi',
    seconds: '{{seconds}} sn',
  },
  containers: {
    restartedItself: '{{name}} kendi kendine restart oldu ({{times}}×, son çıkış kodu {{code}})',
    state: '{{name}} durumu {{status}} (çıkış kodu {{code}})',
    diedWaiting: "{{what}}; pc-verify apply'dan sonra /healthz'i beklerken oldu",
    lastLines: '{{observed}}; son satırları:\n{{lines}}',
    diedHint:
      "{{service}} yeni env dosyasıyla ayakta kalmıyor: nedeni son log satırlarında. Bunu düzelt (ya da flag'i geri al), sonra tekrar çalıştır.",
    downAfterApply: "apply'dan sonra {{state}}",
    downHint:
      "Onu başlat ve neden durduğunu log'larında ara (`docker compose logs {{service}}`), sonra tekrar çalıştır.",
    healthDisagrees: '/healthz partner_center_enabled: {{seen}} diyor, env dosyası {{assignment}} diyor',
    recreatedIgnored:
      "api, yeniden oluşturulduğunda bile flag'i bu env dosyasından almıyor: driver.envFile ayarını ve dosyanın container'lara nasıl ulaştığını kontrol et.",
    keptOld: 'api restart boyunca eski değerini korudu. {{restartKeepsOldEnv}}',
    createdWith: '{{name}} {{assignment}} ile oluşturulmuş',
    restartKeeps:
      '{{had}} (env_file: ya da environment:), env dosyası {{value}} diyor; restart bunu değiştirmez',
    restartKeepsHint:
      "driver.apply: recreate ya da auto ayarla: dosyayı yalnızca container'ları yeniden oluşturmak tekrar okur.",
    evenRecreated: '{{had}}, yeniden oluşturulduktan sonra bile; env dosyası {{value}} diyor',
    evenRecreatedHint:
      'Değer bu env dosyasından gelmiyor: compose dosyasında `environment:` altında sabit bir `{{name}}` ya da başka bir `env_file:` ara.',
  },
  command: {
    timeout:
      'Komut takıldı ya da driver.commandTimeout süresinden yavaş: {{status}} ve {{apiLogs}} çıktısına bak; driver.commandTimeout değerini yalnızca bu adımın o kadar sürdüğü biliniyorsa artır.',
    spawn:
      'pc-verify komutu bu makinede başlatamadı: {{program}} kurulu mu ve botun çalıştığı kullanıcının PATH’inde mi?',
  },
  envFile: {
    EACCES: 'izin reddedildi',
    EPERM: 'işleme izin verilmiyor',
    EROFS: 'salt okunur dosya sistemi',
    readDenied: 'pc-verify env dosyasını okuyamadı: {{path}} ({{why}})',
    readDeniedHint:
      'Bu bir Hunter sorunu değil, pc-verify’ın çalıştığı makinedeki bir izin sorunu: {{who}} {{path}} dosyasını okuyamıyor. ' +
      'O kullanıcıya okuma izni ver, sonra tekrar dene.',
    writeDenied:
      'pc-verify env dosyasına yazamadı: {{path}} ({{why}}); dosya olduğu gibi bırakıldı, yani flag değişmedi',
    writeDeniedHint:
      'Bu bir Hunter sorunu değil, pc-verify’ın çalıştığı makinedeki bir izin sorunu: {{who}} {{path}} dosyasını değiştiremiyor. ' +
      'pc-verify {{dir}} içinde geçici bir dosya yazar ve onu env dosyasının üzerine taşır; bu yüzden o kullanıcının {{dir}} dizinine yazma izni olmalı, ' +
      've dosya değiştirilemez (`lsattr {{path}}`; `chattr -i` bunu kaldırır) ya da salt okunur bir mount üzerinde olmamalı. ' +
      'Bunu düzelt, sonra tekrar dene; bekleyemiyorsa o zamana kadar flag’i env dosyasında elle değiştir.',
    runningAs: 'pc-verify’ın çalıştığı kullanıcı ({{name}}, uid {{uid}})',
    runningAsUnknown: 'pc-verify’ın çalıştığı kullanıcı',
  },
};
