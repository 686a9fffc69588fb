import type { Catalogue } from '../shape.ts';

export const cli: Catalogue['cli'] = {
  run: {
    breakGlass:
      'Break-glass: {{env}} ortamını {{run}} tutuyor; audit kaydına yazıldı, onaylayıcılardan gözden geçirmeleri istendi.',
    byTerminal: '{{user}} (terminal, break-glass yoluyla)',
    stoppedEarly: 'Terminaldeki çalıştırma bitmeden durdu.',
    confirmNeeded:
      "{{env}} ortamında flag ON; FAZ 1 onu OFF'a çekecek. Buna izin vermek için --confirm-flag-off ile tekrar çalıştır.",
    confirmQuestion:
      '{{env}} ortamında Partner Center flag\'i ON. FAZ 1 doğrulama için onu OFF\'a çeker (canlı bir özellik kesintiye uğrar).\nDevam etmek için "{{env}}" yaz, durmak için başka bir şey: ',
    cancelling: '\nİptal ediliyor: çalışan komutlar ve istekler durduruluyor…',
  },
  login: {
    noLock: '(REDIS_URL yok: bu oturum açma {{env}} kilidini tutmuyor; hiçbir bota haber verilmiyor)',
    cancelled: 'Terminalden iptal edildi.',
    renewed:
      "{{env}} için oturum açma yenilendi: Hunter'da yeni bir token cache var ve sessiz çalışıyor. Flag'e dokunulmadı.",
    notRenewed: "{{env}} için oturum açma YENİLENMEDİ (yukarıdaki kontrollere bak). Flag'e dokunulmadı.",
  },
  plan: {
    heading: '{{env}} ({{tier}}) için plan; hiçbir şey çalıştırılmıyor:',
    phase: 'FAZ {{phase}}',
    approval:
      "FAZ 3'ten önce: ikinci bir kişi (talep eden değil, bir onaylayıcı) oturum açan hesabı görerek onay vermeli; o zamana kadar yeni token cache canlı olanın yanında bekler.",
    pinAccounts:
      "Öneri: environments.{{env}}.auth.allowedAccounts ayarına Hunter'ın kullanabileceği hesap(lar)ı yaz; şu an her hesap oturum açabilir.",
    readVars: '{{file}} okunur: dört HUNTER_PARTNER_CENTER_* değişkeni (değerler asla gösterilmez)',
    query: '{{db}} üzerinde SQL (salt okunur): {{table}} için information_schema.columns',
    editFlag: '{{file}} düzenlenir: {{assignment}} (atomik, yedek tutulur)',
    pollHealth: 'GET {{url}} cevap verene kadar tekrarlanır',
    deviceCode: '{{authority}} üzerinde device code ile login (kod yalnızca talep edene)',
    silent: 'oturum açan hesap için acquireTokenSilent',
    alreadyApproved: '{{command}}  (zaten onaylı cache mi? o zaman hiçbir şey)',
    promote: '{{command}}  (onaylı oturum açma canlıya alınır)',
    cacheOnStdin: "{{command}}  < token cache stdin'den",
    unknownDatabase: '(veritabanı)',
    phaseStart: '<faz başlangıcı>',
    taskId: '<task kimliği>',
    taskIdFromApi: "<api.on'dan gelen task kimliği>",
    detectedCli: '`version` sorusuna ilk cevap veren compose CLI: {{v2}}, yoksa {{v1}}',
    v1Logs:
      'bu compose v1 (1.x) ise, --since olmadığından: {{argv}}, satırlar -t zaman damgalarıyla faz başlangıcında kesilir',
  },
  badLanguage: '--language en ya da tr alır (verilen: "{{value}}")',
  checks: {
    phase: 'FAZ {{phase}} — {{title}}',
    offAgain: "Flag'i tekrar OFF'a çekme (geri alma, afterPass: turn-off, kill switch)",
    runbook: 'runbook adımı:',
    expects: 'beklenen:',
    hint: 'çözüm:',
    badDriver: '--driver compose ya da commands alır (verilen: "{{value}}")',
  },
  demo: {
    starting: 'Simüle edilmiş dünya başlatılıyor: PostgreSQL, Azure AD ve Hunter kurulumu…',
    world: 'Hunter simülatörü: {{url}} (proje {{dir}}); veritabanı: {{database}}\n',
    approves: '  (demo: simüle edilen kişi oturum açar ve login onayını verir)',
  },
  window: {
    closed:
      'değişiklik penceresinin dışında (pencere {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} açılıyor, {{zone}})',
    frozen:
      '{{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} tarihine kadar değişiklik dondurması ({{zone}}): {{reason}}',
    never: 'bir yıl içinde açılan değişiklik penceresi yok',
    refused:
      '{{env}} ortamında FAZ 3 (bayrak ON) şimdi başlayamaz: {{why}}. FAZ 0–2’yi şimdi çalıştırın (--phases 0,1,2), FAZ 3’ü pencere içinde; ya da --break-glass "<gerekçe>" ile geçersiz kılın (kaydedilir).',
    overridden: '{{reason}} [geçersiz kılınan: {{why}}]',
  },
};
