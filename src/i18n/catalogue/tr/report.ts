import type { Catalogue } from '../shape.ts';

/** The runbook's "Test Sonuçları Template" (docs/activation-plan.tr.md) in its own words. */
export const report: Catalogue['report'] = {
  stage: {
    p0: 'Ortam ve Migration',
    p1: 'Feature Flag OFF Doğrulama',
    p2: 'Aktivasyon (İlk Auth + Token Cache)',
    p3: 'Feature Flag ON Doğrulama',
    off: "Flag'i tekrar kapatma ve doğrulama",
  },
  template: {
    phase: 'FAZ {{phase}} - {{title}}',
    status: 'Status: {{pass}} PASS {{fail}} FAIL',
    warning: '(uyarı)',
    failed: '← FAIL',
    notRun: '(çalıştırılmadı)',
    offAgain: "FLAG'İ TEKRAR OFF ({{why}})",
    whyRollback: 'FAZ 3 başarısız olduğu için geri alma',
    whyAfterPass: 'afterPass: turn-off ayarı',
    offStatus: 'Status: {{off}} OFF {{unconfirmed}} DOĞRULANAMADI',
    overall: 'Overall Status: {{pass}} PASS {{fail}} FAIL',
    canTurnOn: 'ON Yapılabilir: {{yes}} YES {{no}} NO',
    details: 'Ayrıntılar:',
    problemFail: 'BAŞARISIZ {{id}} — {{title}}',
    problemWarn: 'UYARI {{id}} — {{title}}',
    expected: 'beklenen:',
    observed: 'görülen:',
    next: 'çözüm:',
  },
  progress: {
    phase: 'FAZ {{phase}}',
    offAgain: "Flag'i tekrar kapat",
    checkFinished: '{{status}}, {{ms}} ms sürdü',
    next: 'çözüm: {{hint}}',
    phaseFinished: 'FAZ {{phase}}: {{status}}',
    waitingForLogin: 'Device code ile login bekleniyor ({{until}} zamanına kadar)',
    signIn: 'Oturum açmak için {{uri}} adresine git ve {{code}} kodunu gir',
    codeExpires: '(kodun süresi {{at}} zamanında dolar)',
  },
  reason: {
    failedCheck: 'FAZ {{phase}}: {{id}} başarısız — {{why}}',
    cancelled: 'Çalıştırma iptal edildi.',
    voidedOff: "Onay geçersiz kaldı; flag tekrar OFF'a çekildi ve doğrulandı.",
    cancelledOff: "Flag tekrar OFF'a çekildi ve doğrulandı.",
    rolledBack: "FAZ 3 başarısız oldu; flag tekrar OFF'a çekildi ve doğrulandı (rollbackOnFailure).",
    afterPass: "Tüm fazlar PASS; flag ayar gereği tekrar OFF'a çekildi (afterPass: turn-off).",
    offUnverified:
      "Flag'in tekrar OFF'a çekildiği DOĞRULANAMADI: {{env}} ortamında hâlâ ON olabilir. Hemen kapat: `/pc-verify off {{env}}`.",
  },
};
