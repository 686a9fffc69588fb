import type { Catalogue } from '../shape.ts';

export const views: Catalogue['views'] = {
  killSwitch: {
    reasonFrom: '{{who}} gerekçesi: {{reason}}',
    unknownButton: 'Bu düğme pc-verify’ın bildiği bir acil kapatmayı göstermiyor.',
    noForm:
      'Gerekçe formu açılamadı (Slack bir tıklamadan sonra 3 saniye tanır). "Gerekçe ekle" düğmesine yeniden tıklayın.',
    working: '{{who}} acil kapatmayı kullandı: *{{env}}* ortamında Partner Center flag’i OFF yapılıyor…',
    off: '{{who}} acil kapatmayı kullandı: *{{env}}* ortamında Partner Center flag’i OFF (/healthz ile doğrulandı).',
    not_confirmed:
      '{{who}} tarafından *{{env}}* ortamında kullanılan acil kapatma flag’in OFF olduğunu DOĞRULAYAMADI — hemen elle OFF yapın.',
    addReason: 'Gerekçe ekle',
    audited: 'İkinci bir kişi gerekmez; denetim kaydına yazıldı. Ayrıntılar thread’de.',
  },
  breakGlass: {
    ranRun: 'doğrulamayı çalıştırdı (flag’i ON yapabilir)',
    signedIn: 'yeniden oturum açtı (yeni bir token cache)',
    headline:
      '*{{env}} ortamında acil erişim (break-glass)*: {{who}} onay kapısı olmadan bir terminalden {{what}}.',
    reason: 'Verilen gerekçe: {{reason}}',
    reviewedText: '{{env}} ortamında {{who}} tarafından acil erişim: {{reviewer}} inceledi.',
    reviewedBy: '{{reviewer}} inceledi.',
    pleaseReviewText:
      '{{mentions}}: {{env}} ortamında {{who}} bir terminalden acil erişim kullandı; lütfen inceleyin.',
    pleaseReview:
      '{{mentions}}: lütfen yapılanlara bakın (denetim kaydında var) ve incelendi olarak işaretleyin.',
    reviewed: 'İncelendi',
  },
  outage: {
    text: '{{env}} ortamında flag ON: FAZ 1’in onu OFF yapabileceğini onaylayın',
    question:
      '{{who}}, Partner Center flag’i şu anda *{{env}}* ortamında *ON*. FAZ 1 doğrulama için onu OFF yapar — FAZ 3 yeniden ON yapana kadar canlı bir özelliğin kesintisi. Henüz hiçbir şey değişmedi.',
    confirm: 'OFF yap ve doğrula',
    confirmTitle: 'Canlı flag OFF yapılsın mı?',
    confirmText: 'FAZ 3 geçene kadar {{env}} ortamında Partner Center çalışmaz.',
    confirmYes: 'OFF yap',
    confirmNo: 'Şimdi değil',
    decline: 'Dur, hiçbir şeyi değiştirme',
    closed: '{{env}} ortamında flag ON idi: {{what}}',
  },
  watch: {
    cause: {
      token: 'Partner Center oturumu artık çalışmıyor',
      unreachable: 'Hunter Partner Center’a ulaşamıyor',
      exception: 'periyodik senkronizasyon bir exception verdi',
      drift: 'flag, pc-verify’ın doğruladığı durumda değil',
      api_down: 'Hunter’ın api servisi yanıt vermiyor',
      probe_failed: 'pc-verify worker’ı okuyamadı',
    },
    next: {
      token:
        '`/pc-verify login {{env}}` ile yeniden oturum açın (yalnızca FAZ 2: DM’inize yeni bir kod gelir; flag’e dokunulmaz).',
      unreachable:
        'worker’ın Partner Center’a çıkış yolunu (proxy, firewall, DNS) ve Partner Center’ın servis durumunu kontrol edin; senkronizasyon yeniden çalışınca izleme burada söyler.',
      exception:
        '`docker compose logs worker` çıktısındaki traceback’i okuyun ve Hunter’ı düzeltin; senkronizasyon yeniden temiz çalışınca izleme burada söyler.',
      drift:
        'biri flag’i pc-verify dışında değiştirdi (`.env` elle mi düzenlendi?): `/pc-verify {{env}}` ile yeniden doğrulayın ya da `/pc-verify off {{env}}` ile OFF yapıp doğrulayın.',
      api_down:
        '`docker compose ps` ve `docker compose logs api` çıktısına bakın; yeniden yanıt verince izleme burada söyler.',
      probe_failed:
        'botun driver’ın `logs` komutunu hâlâ çalıştırabildiğini kontrol edin (ayrıntılar bot log’unda).',
    },
    wasFailing: ' (başarısızdı: {{cause}})',
    healthy:
      '*{{env}}* yeniden sağlıklı{{was}}: /healthz flag’i doğrulanmış gösteriyor ve periyodik Partner Center senkronizasyonu temiz çalışıyor. Kontrol: {{when}}.',
    failing: '*{{env}}*: {{cause}} — izleme bunu {{when}} buldu.{{detail}}\n*Sonraki adım:* {{next}}',
  },
  reason: {
    label: 'Gerekçe',
    labelOptional: 'Gerekçe (isteğe bağlı)',
    cancel: 'Vazgeç',
    rejectTitle: 'FAZ 3’ü reddet',
    rejectSubmit: 'Reddet',
    rejectIntro:
      'FAZ 3 *{{env}}* ortamında çalışmayacak ve flag OFF kalacak. Gerekçe denetim kaydına ve thread’e yazılır.',
    killSwitchTitle: 'Neden acil kapatma?',
    killSwitchSubmit: 'Denetim kaydına ekle',
    killSwitchIntro:
      '*{{env}}* ortamındaki flag zaten OFF yapılıyor; bu bunu değiştirmez. Gerekçe denetim kaydına ve thread’e yazılır.',
  },
};
