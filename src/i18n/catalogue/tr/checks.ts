import type { Catalogue } from '../shape.ts';
import { registry } from './checks-registry.ts';

/** The checks in the Turkish runbook's words (docs/activation-plan.tr.md: "Kontrol", "Beklenen", "Yanlış ise"). */
export const checks: Catalogue['checks'] = {
  registry,
  driver: {
    compose: {
      restart: '`{{command}}` (proje dizininde)',
      recreate: 'onları yeniden oluştur: `{{command}}`',
      restartKeepsOldEnv:
        "env dosyası container'lara `env_file:` ile ulaşıyorsa `restart` onu yeniden okumaz: driver.apply: recreate ya da auto ayarla.",
      apiEnvironment: '{{api}} container’ının ortamı',
    },
    commands: {
      named: 'ortamın `{{action}}` komutu',
      namedArgv: '`{{argv}}` (ortamın `{{action}}` komutu)',
      recreate: '{{apply}} ile durdurup yeniden başlat (reload değil)',
      restartKeepsOldEnv:
        'api ve worker başlatıldıkları ortamı koruyorsa, `apply` komutunun süreçleri reload etmek yerine yenileriyle değiştirmesini sağla; böylece env dosyasını tekrar okurlar.',
      apiLogs: "api'nin kendi makinesindeki log'u (ör. servisi için `journalctl -u`)",
      status: 'api ve worker servislerinin kendi makinelerindeki durumu (ör. `systemctl status`)',
      apiEnvironment: 'api sürecinin ortamı',
      program: 'bu komutun çalıştırdığı program',
    },
  },
  auth: {
    hints: {
      declined: 'Kişi oturum açmayı reddetti. Onaylamaya hazır olduğunda çalıştırmayı tekrar başlat.',
      expired:
        'Kimse oturum açmayı zamanında bitirmedi. Çalıştırmayı tekrar başlat ve kodun süresi dolmadan login ol.',
      cancelled: 'Oturum açma beklenirken çalıştırma iptal edildi.',
      misconfigured:
        'Device Code Flow hata veriyor → Azure AD app registration ya da credentials yanlış: App Registration’ı ' +
        '(client id, tenant id) ve Partner Center API permissions’ı kontrol et, sonra flow’u tekrar çalıştır.',
      error:
        'Oturum açma başarısız: App Registration’ı, Partner Center API permissions’ı ve bu makinenin Azure AD ' +
        'authority’sine erişebildiğini kontrol et; sonra flow’u tekrar çalıştır.',
    },
    transport: {
      tls: 'TLS sertifikasına bu makine güvenmiyor',
      refused: 'bağlantı reddedildi',
      dns: 'host adı bulunamadı',
      timeout: 'zamanında cevap vermedi',
      cancelled: 'istek iptal edildi',
      other: 'istek başarısız oldu',
    },
    unreachable: "Azure AD'ye erişilemedi: {{why}} ({{code}})",
    serverSaid: 'Azure AD yanıtı: {{error}}',
    tlsHint:
      'Azure AD authority’sinin sertifikasına güvenilmiyor: özel bir CA’dan geliyorsa o CA’yı NODE_EXTRA_CA_CERTS ile ' +
      'ekle (sertifika kontrollerini asla kapatma) ve config’teki auth.authority ayarını kontrol et.',
    unreachableHint:
      "Bu makineden Azure AD'ye erişilemiyor: config’teki auth.authority (ve auth.knownAuthorities) ayarını, DNS’i, " +
      'proxy’yi ve firewall’u kontrol et, sonra flow’u tekrar çalıştır.',
    cancelled: 'oturum açma beklenirken iptal edildi',
    notInTime: 'oturum açma zamanında tamamlanmadı (MSAL: {{code}})',
    handoffFailed: 'oturum açma kodu kişiye iletilemedi, bu yüzden kimse oturum açamadı',
    handoffFailedHint:
      'Botun talep edene direkt mesaj gönderebildiğini (komut satırında ise terminalin bağlı olduğunu) kontrol et, sonra flow’u tekrar çalıştır.',
    noAccount: 'Azure AD hesap ya da access token döndürmedi',
    noCachedAccount: 'cache’te oturum açan kişinin hesabı yok',
    noAccessToken: 'access token dönmedi',
    silentHint:
      'Silent acquisition çalışmıyor → token cache düzgün oluşmamış: App Registration’ı ve Partner Center API ' +
      'permissions’ı kontrol et, sonra Device Code Flow’u tekrar çalıştır.',
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
    autoRecreate:
      '{{name}}, {{names}} container’ının oluşturulduğu ortamda var (env_file: ya da environment:); restart bunu yeniden okumaz',
    autoRecreateFile:
      'env dosyasının değişkenleri {{names}} container’ının oluşturulduğu ortamda var (env_file:); restart bunları yeniden okumaz',
    autoRestart:
      '{{name}} de env dosyasının değişkenleri de api ya da worker’ın oluşturulduğu ortamda yok: restart dosyayı yeniden okur',
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
  docker: {
    notRunning:
      'Onu başlat (proje dizininde `{{command}} up -d {{service}}`) ve neden durduğunu log’larında ara (`{{command}} logs {{service}}`); sonra tekrar çalıştır.',
    noProgram:
      "{{service}} imajının PATH’inde `{{program}}` yok: onu imaja kur (Debian'ın python3-* paketleri komutları değil, yalnızca kütüphaneleri içerir), imajı yeniden derle ve tekrar çalıştır.",
    unreachable:
      'pc-verify {{host}} adresindeki Docker daemon ile konuşur: çalışıyor mu, ve botun çalıştığı kullanıcı onun soketini kullanabiliyor mu (`docker` grubu)? Daemon başka yerdeyse driver.host ya da DOCKER_HOST ayarla.',
    slow: 'Docker daemon geç cevap veriyor: yüküne bak, sonra tekrar dene.',
    refused: 'Docker daemon isteği reddetti; nedeni yukarıdaki mesajında.',
    noContainer:
      'Proje ayakta mı ({{dir}} içinde `{{command}} ps`)? compose onu başka bir proje adıyla çalıştırıyorsa (`-p`, COMPOSE_PROJECT_NAME, dosyada `name:`), driver.projectName ayarını o ada getir.',
    notDescribed: 'Docker daemon’a bak: container’ı tarif etmedi.',
    cliTooOld:
      "Bu compose CLI pc-verify'ın beklediğinden eski: compose v2 (`docker compose`) ya da docker-compose 1.29 kullan, ya da driver.command ile birini belirt.",
    noCompose:
      'compose v2 (`docker compose`) ya da v1 (`docker-compose`) kur, ya da driver.command ile belirt.',
    envFileMissing:
      'Compose, compose dosyasının `env_file:` altında andığı env dosyası {{path}} dosyasını bulamadı, bu yüzden hiçbir şeyi yeniden oluşturmadı: api ve worker oluşturuldukları değerleri koruyor. pc-verify {{envFile}} dosyasını düzenler: compose’un beklediği dosyayı oluştur ya da `env_file:` ile driver.envFile aynı dosyayı göstersin; sonra tekrar çalıştır.',
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
    missing: 'env dosyası {{path}} yok; pc-verify hiçbir şeyi değiştirmedi',
    missingOnWrite: 'pc-verify env dosyasına yazamadı: {{path}}; {{dir}} dizini yok; flag değişmedi',
    missingHint:
      'Flag, api ve worker’ın okuduğu env dosyasında durur; pc-verify yeni dosya oluşturmaz, o dosyayı düzenler: {{path}} dosyasını oluştur (gereken değişkenleri Phase 0 listeler) ya da driver.envFile ayarını doğru dosyaya yönlendir, sonra tekrar çalıştır.',
    runningAs: 'pc-verify’ın çalıştığı kullanıcı ({{name}}, uid {{uid}})',
    runningAsUnknown: 'pc-verify’ın çalıştığı kullanıcı',
  },
};
