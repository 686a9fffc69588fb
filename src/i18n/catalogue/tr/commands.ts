import type { Catalogue } from '../shape.ts';

export const commands: Catalogue['commands'] = {
  typeHelp: '{{problem}} Komutlar için `/pc-verify help` yazın.',
  unreadable:
    'pc-verify bu komutu okuyamadı (beklenmeyen kullanıcı, kanal ya da metin). `/pc-verify help` deneyin.',
  replayUnchecked:
    'Hiçbir şey yapılmadı: pc-verify bu isteğin bir tekrar (replay) olmadığını doğrulayamadı (Redis’i yanıt vermedi).',
  needsEnv: '`{{command}}` bir ortam ister: `/pc-verify {{command}} <env>`',
  notUnderstood: '`{{text}}` anlaşılamadı.',
  afterFailed: 'Komutunuz kabul edildikten sonra bir şeyler ters gitti; ayrıntılar bot log’unda.',
  help: {
    intro: '*pc-verify*, flag ON yapılmadan önce Partner Center aktivasyon planını (FAZ 0–3) çalıştırır.',
    start:
      '`/pc-verify <env>` — bir çalıştırma başlatır: bu kanalda bir kontrol listesi, her adım thread’inde, oturum açma kodu DM’inizde',
    status: '`/pc-verify status [env]` — süren çalıştırma ve son sonuç',
    history: '`/pc-verify history <env>` — son on sonuç',
    cancel: '`/pc-verify cancel <env>` — süren çalıştırmayı durdurur',
    off: '`/pc-verify off <env>` — acil kapatma: flag hemen OFF, doğrulanmış (ikinci bir kişi gerekmez)',
    plan: '`/pc-verify plan <env>` — bir çalıştırmanın yapacağı her komut; hiçbiri çalıştırılmaz',
    login:
      '`/pc-verify login <env>` — yeniden oturum açar (yalnızca FAZ 2: DM’inize yeni bir kod, flag’e dokunulmaz), izleme token’ın çalışmadığını söylediğinde',
    help: '`/pc-verify help` — bu yardım',
    environments: 'Ortamlar: {{envs}}',
  },
  start: {
    accepted:
      '*{{env}}* için `{{id}}` çalıştırması başlıyor. Kontrol listesi ve her adım {{channel}} kanalında bir thread’de görünür; oturum açma kodu size DM ile gelir.',
    unverified:
      '*{{env}}* ortamının flag’i doğrulanmadı: yarıda kalan bir çalıştırma onu nerede bıraktığını doğrulayamadı. Doğrulanana kadar hiçbir çalıştırma başlayamaz — `/pc-verify off {{env}}` onu OFF yapar ve doğrular; sonra yeniden başlatın.',
    runLabel: 'çalıştırma {{id}}',
    startingState: 'başlıyor',
    by: ', başlatan {{who}}',
    switching:
      '*{{env}}*, {{link}} iptal edildikten sonra flag’i hâlâ OFF yapıyor; thread’i bitti dediğinde yeniden deneyin (`/pc-verify status {{env}}`).',
    going:
      '*{{env}}* için bir çalıştırma zaten sürüyor: {{link}} ({{state}}, başladı{{by}}{{since}}). Her ortamda aynı anda tek çalıştırma: oradan izleyin ya da `/pc-verify cancel {{env}}` ile durdurun.',
    notQueued:
      'Çalıştırma kuyruğa alınamadı ({{error}}); hiçbir şey yapılmadı. Bir dakika sonra yeniden deneyin.',
  },
  login: {
    gateApprover: ' Önce bir onaylayıcı (siz değil) karar verir; sonra kod size DM ile gelir.',
    gateDm: ' Oturum açma kodu size DM ile gelir.',
    accepted:
      '*{{env}}* için oturum yenileniyor (`{{id}}`): yalnızca FAZ 2, flag’e dokunulmaz.{{gate}} Her adım {{channel}} kanalındaki thread’de.',
  },
  cancel: {
    alreadyCancelling: '`{{id}}` çalıştırması zaten iptal edildi; flag’i yeniden OFF yapıyor.',
    endedFirst: '`{{id}}` çalıştırması iptal edilemeden sona erdi ({{state}}).',
    gone: 'silinmiş',
    freed: '*{{env}}* ortamının `{{id}}` çalıştırması iptal edildi (durumu: {{state}}). Ortam yeniden boş.',
    cancelling:
      '*{{env}}* ortamının `{{id}}` çalıştırması iptal ediliyor (durumu: {{state}}): komutları şimdi durur; flag’e dokunduysa ortam boşalmadan önce onu yeniden OFF yapar ve doğrular. Thread’ini izleyin.',
    nothing: '*{{env}}* ortamında süren bir çalıştırma yok; iptal edilecek bir şey yok.',
  },
  off: {
    cancelledFirst: ' Önce `{{id}}` çalıştırması iptal edildi.',
    accepted:
      'Acil kapatma: *{{env}}* ortamında Partner Center flag’i şimdi OFF yapılıyor (ikinci bir kişi gerekmez).{{first}} Sonuç bu kanala yazılır.',
  },
  status: {
    nothingToSee:
      'Buradan bakabileceğiniz bir ortam yok: status, bir ortamın talep edenlerine ve onaylayıcılarına kendi kanallarında yanıt verir.',
    now: 'şu an: {{link}} — {{state}} (başladı{{by}} {{when}})',
    lastLogin: 'son: oturum yenileme *{{verdict}}* {{when}}{{by}} (flag’e dokunulmadı)',
    last: 'son: *{{verdict}}* ({{state}}) {{when}}{{by}}, ON yapılabilir: {{yes}}',
    yes: 'EVET',
    no: 'HAYIR',
    neverVerified: 'hiç doğrulanmadı',
    breakGlass: 'acil erişim İNCELENMEDİ: {{who}} bir terminalden {{what}} ({{when}}), gerekçe: {{reason}}',
    ranRun: 'doğrulamayı çalıştırdı',
    signedIn: 'yeniden oturum açtı',
  },
  history: {
    none: '*{{env}}* için henüz çalıştırma yok. Bir tane başlatın: `/pc-verify {{env}}`.',
    renewal: 'oturum yenileme ',
    line: '• {{when}} {{kind}}*{{verdict}}* ({{state}}) · {{who}}, çalıştırma `{{id}}`{{why}}',
    header: '*{{env}}* için son {{count}} çalıştırma, en yenisi önce:',
  },
  plan: {
    cut: '(kısaltıldı; tamamını bir terminalde `pc-verify plan {{env}}` yazdırır)',
  },
  failed: {
    notStarted: 'Çalıştırma başlatılmadı.',
    cancel:
      'Çalıştırma iptal edilmemiş olabilir: pc-verify yeniden yanıt verince `/pc-verify status {{env}}` ile kontrol edin.',
    off: 'Acil kapatma ÇALIŞMADI (süren bir çalıştırma iptal edilmiş olabilir; pc-verify yeniden yanıt verince `/pc-verify status {{env}}` gösterir). Flag hemen OFF olmalıysa elle OFF yapın (env dosyasında HUNTER_PARTNER_CENTER_ENABLED=false, api ve worker’ı yeniden başlatın) ya da bir dakika sonra yeniden deneyin.',
    noRedis:
      'pc-verify Redis’ine (çalıştırmaları, kilitleri ve sonuçları tuttuğu yer) ulaşamıyor, bu yüzden bunu yapamadı.',
    internal: 'pc-verify bu komutu işlerken dahili bir hataya düştü; ayrıntılar bot log’unda.',
    nextRedis:
      'Bir dakika sonra yeniden deneyin; hata sürerse pc-verify’ı işleten kişiye haber verin (/healthz `redis: false` gösterir).',
    next: 'Yeniden deneyin; hata sürerse pc-verify’ı işleten kişiye haber verin.',
  },
};
