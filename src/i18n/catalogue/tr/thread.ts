import type { Catalogue } from '../shape.ts';

export const thread: Catalogue['thread'] = {
  phaseHeader: '*FAZ {{stage}}* — {{title}}',
  offHeader: '*Flag yeniden OFF yapılıyor* — {{title}}',
  phaseResult: '*FAZ {{stage}}: {{result}}*',
  detailsBelow: 'ayrıntılar aşağıda',
  expected: '*beklenen:* {{text}}',
  observed: '*gözlenen:*',
  next: '*sonraki adım:* {{text}}',
  verdict: '*Sonuç: {{verdict}}* · ON Yapılabilir: {{yes}}',
  yes: 'EVET',
  no: 'HAYIR',
  flagUnverified:
    '{{people}} *{{env}}* ortamındaki flag DOĞRULANMADI: hâlâ ON olabilir. `/pc-verify off {{env}}` ile OFF yapıp doğrulayın; o zamana kadar hiçbir çalıştırma başlayamaz.',
  outageGoAhead: '{{who}} onayladı: FAZ 1 canlı flag’i OFF yapabilir. Başlıyor.',
  resumed:
    'Yeniden devralındı (çalıştıran worker durdu ya da bir Redis kesintisinde tutuşunu kaybetti): {{next}}',
  resumedPhase3Ended: 'FAZ 3 bitmişti ({{result}}); flag o sonuca göre ayarlanır, FAZ 3 yeniden çalışmaz.',
  resumedAgain: 'FAZ {{phase}} baştan yeniden başlıyor.',
  resumedNewCode: ' Önceki oturum açma kodu geçersiz; yenisi DM ile {{who}} kişisine gidiyor.',
  loginHandedOff: 'Oturum açma DM ile {{who}} kişisine verildi (kodun süresi {{when}} doluyor).',
  loginEnded: 'Oturum açma: {{outcome}}.',
  approvalAsked:
    'FAZ 0–2 geçti. FAZ 3 *{{env}}* ortamında flag’i ON yapar: ikinci bir kişinin onayı bekleniyor ({{when}} tarihine kadar).',
  outageConfirmedBy: '{{who}}, FAZ 1’in doğrulama için flag’i OFF yapabileceğini onayladı.',
  outageClosedRun: 'çalıştırma {{how}}. {{reason}}',
  approvedButEnded: '{{who}} tarafından onaylandı ama FAZ 3’ten önce {{how}}',
  endedHow: {
    expired: 'süresi doldu',
    cancelled: 'iptal edildi',
    failed: 'başarısız oldu',
    rolled_back: 'geri alındı',
    passed: 'geçti',
    other: 'sona erdi ({{state}})',
  },
  note: {
    bugMidFlag:
      'pc-verify flag değişiyor olabilirken dahili bir hataya düştü (Hunter sorunu değil): çalıştırma ortamı tutmaya devam eder ve flag’i yerine oturtmak için yeniden devralınır. Ayrıntılar bu çalıştırma id’si altında bot log’unda.',
    internalError:
      'pc-verify bunu çalıştırırken dahili bir hataya düştü (Hunter sorunu değil); ayrıntılar bu çalıştırma id’si altında bot log’unda. Yeniden başlatın.',
    cachePromoted: 'Onaylanan oturum artık Hunter’ın token cache’i (sha256 {{digest}}…).',
    approvalLapsed: 'Onay süresi (approvalTtl) içinde kimse FAZ 3’ü onaylamadı; çalıştırmanın süresi doldu.',
    confirmationLapsed:
      'Onay süresi (approvalTtl) içinde kimse FAZ 1’in canlı flag’i OFF yapabileceğini onaylamadı; hiçbir şey değiştirilmedi ve çalıştırmanın süresi doldu.',
    signedIn: '`{{user}}` olarak oturum açıldı (object id `{{objectId}}`).',
    signedInNotAllowed:
      '`{{user}}` olarak oturum açıldı (object id `{{objectId}}`); bu hesap `auth.allowedAccounts` içinde değil: hiçbir şey kurulmadı.',
    killSwitchRetry:
      'Acil kapatmanın {{attempt}}. denemesi {{env}} ortamında flag’i OFF yapamadı: {{why}}. {{wait}} sn sonra yeniden dener ve flag OFF doğrulanana kadar denemeyi sürdürür. Daha hızlı davranmak için env dosyasında HUNTER_PARTNER_CENTER_ENABLED=false ayarını elle yapıp api ve worker’ı yeniden başlatın.',
    killSwitchStopped:
      'Acil kapatmanın {{attempt}}. denemesi {{env}} ortamında bitmeden durdu: onu çalıştıran worker ortadan kalktı (çökme, öldürülme ya da iş kilidinden uzun süre Redis’e ulaşılamaması). Başka bir worker şimdi yeniden dener ve flag OFF doğrulanana kadar denemeyi sürdürür. Daha hızlı davranmak için env dosyasında HUNTER_PARTNER_CENTER_ENABLED=false ayarını elle yapıp api ve worker’ı yeniden başlatın.',
    rootRefused:
      'pc-verify bu çalıştırmayı {{channel}} kanalına yazamadı (Slack: {{refused}}), bu yüzden kimse onu orada izleyemez ya da onaylayamazdı. {{env}} ortamında hiçbir şey değiştirilmedi. Botu kanala davet edin (`/invite @pc-verify`) ve yeniden başlatın.',
    rootLate:
      'Bu çalıştırmanın {{channel}} kanalındaki mesajı {{seconds}} sn içinde yazılamadı (Slack yavaş mı, çalışmıyor mu?): {{env}} çalıştırması bir şey değiştirmeden önce görülmelidir. Hiçbir şey değiştirilmedi; yeniden başlatın.',
    evidenceChanged:
      'Onay istendikten sonra kanıtlar değişti (env dosyası, config ya da FAZ 0–2 sonuçları): onay geçersiz. Yeni bir çalıştırma başlatın.',
    phase3NotStarted:
      'FAZ 3 başlamadı: {{why}}. Hunter’ın token cache’i olduğu gibi bırakıldı. Yeni bir çalıştırma başlatın.',
    staged: {
      gone: 'onaylanan oturumun bekleyen cache’i artık yok ({{quoted}})',
      differs: 'bekleyen cache, onaylayana gösterilen cache değil (sha256’sı farklı)',
      notMoved: 'bekleyen cache yerine konamadı ({{quoted}})',
      notReadBack: 'yeniden adlandırmadan sonra .token_cache onaylanan cache olarak okunmuyor',
      discardFailed:
        'Bu çalıştırmanın, kimsenin onaylamadığı oturumu Hunter’ın api container’ından silinemedi ({{quoted}}): oradaki `.token_cache.pending` hâlâ o hesabın refresh token’ını tutuyor. pc-verify yeniden deneyecek; şimdi emin olmak için `.token_cache` yanındaki `.token_cache.pending` dosyasını elle silin. Hunter’ın canlı token cache’ine dokunulmadı.',
    },
    fenced:
      'Bu worker işteki tutuşunu zamanında yenileyemedi (Redis’e ulaşılamıyor mu?), bu yüzden işlem yapmayı bıraktı: çalıştırmayı başka bir worker devralır ve flag değişikliğini tamamlar.',
    restartedDm: 'geçersiz: oturum açma bitmeden bot yeniden başladı; yeni bir kod geliyor',
    stopping: 'Komutları ve istekleri durduruluyor…',
    shuttingDownPhase:
      'Bu bot süreci kapanıyor: FAZ {{phase}} kuyruğa geri dönüyor ve başka bir worker’da yeniden başlıyor.',
    shuttingDownLogin:
      'Bu bot süreci kapanıyor: oturum açma kuyruğa geri dönüyor ve başka bir worker’da yeniden başlıyor.',
    recordGoneDm: 'geçersiz: çalıştırma durdu (kaydı silinmiş)',
    cancelledByKillSwitch: 'Acil kapatma ile iptal edildi ({{who}}).',
    cancelledBy: '{{who}} tarafından iptal edildi.',
    runCancelled: 'Çalıştırma iptal edildi.',
    runRejected: 'FAZ 3, {{who}} tarafından reddedildi.',
    runRejectedWhy: 'FAZ 3, {{who}} tarafından reddedildi. Gerekçe: {{reason}}',
    loginRejected: 'Oturum yenileme {{who}} tarafından reddedildi.',
    loginRejectedWhy: 'Oturum yenileme {{who}} tarafından reddedildi. Gerekçe: {{reason}}',
    loginCancelled: 'Oturum yenileme iptal edildi.',
    recordGone:
      'Bu çalıştırmanın kaydı Redis’ten silinmiş (Redis verisini mi kaybetti? kalıcılık olmadan yeniden başlatma ya da flush bunu yapar): worker çalıştırmayı durdurdu. Hiçbir şey kaydedilmedi; yeniden başlatın.',
    lostWorker:
      'Bu çalıştırmayı yürüten worker kiralamasını yenilemeyi bıraktı (çöktü ya da sonlandırıldı) ve kimse devralmadı; çalıştırma sonlandırıldı. Yeniden başlatın.',
    noWorker:
      'Kiralama süresi dolmadan hiçbir worker bu çalıştırmayı almadı: bir `pc-verify serve --role worker` (ya da `all`) süreci çalışıyor mu? Yeniden başlatın.',
    flagOffVerified: 'Flag yeniden OFF yapıldı ve doğrulandı.',
    flagOffFailed:
      'Flag’i yeniden OFF yapmak BAŞARISIZ oldu: {{env}} ortamında hâlâ ON olabilir. Hemen OFF yapın: /pc-verify off {{env}}.',
    flagLeftOn:
      'Bu çalıştırma {{env}} ortamında flag’i ON bıraktı, doğrulanmadı. ON kalmaması gerekiyorsa: /pc-verify off {{env}}.',
    flagLeftOff: 'Bu çalıştırma {{env}} ortamında flag’i OFF bıraktı.',
    flagUntouched: 'Bu çalıştırma flag’i değiştirmemişti.',
    outageNotConfirmed:
      'Flag prod’da ON ve FAZ 1 onu OFF yapacaktı (canlı bir özelliğin kesintisi); bu onaylanmadı, bu yüzden hiçbir şey değiştirilmedi.',
  },
};
