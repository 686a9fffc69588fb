import type { Catalogue } from '../shape.ts';

export const home: Catalogue['home'] = {
  title: '*pc-verify* — ortam bazında Partner Center aktivasyonu',
  renewal: 'oturum yenileme ',
  neverVerified: 'hiç doğrulanmadı',
  now: ' · şu an: {{what}}',
  row: '*{{env}}* ({{tier}}) — {{verdict}} · flag durumu {{flag}}{{now}}',
  by: ' · {{who}}',
  lastRun: 'son çalıştırma {{when}}{{by}}',
  noRunYet: 'henüz çalıştırma yok',
  more: '…ve {{count}} ortam daha: `/pc-verify status`',
  flagUnverified: '*DOĞRULANMADI*',
  flagUnknown: 'bilinmiyor',
  flag: {
    never: 'flag pc-verify tarafından hiç değiştirilmedi',
    unknown: 'bilinmiyor',
    verified: ' ({{when}} doğrulandı)',
    viaRun: 'çalıştırma {{id}}',
    viaKillSwitch: 'acil kapatma',
    words: 'istenen flag *{{desired}}* · gözlenen {{observed}}{{verified}} · kaynak: {{via}}',
    unverified:
      '{{since}} tarihinden beri *DOĞRULANMADI* — {{why}} Flag ON olabilir: `/pc-verify off {{env}}` onu OFF yapar ve doğrular. {{words}}',
  },
  watch: {
    off: 'izleme kapalı',
    every: 'her {{interval}}',
    noProbe: 'izleme {{every}}: henüz yoklama yok',
    idle: 'izleme {{every}}: boşta ({{why}})',
    nothingToWatch: 'izlenecek bir şey yok',
    healthy: 'izleme {{every}}: {{since}} tarihinden beri *sağlıklı* ({{probed}})',
    probed: 'son yoklama {{when}}',
    failing:
      'izleme {{every}}: {{sign}} {{since}} tarihinden beri *BAŞARISIZ* — {{cause}}: {{detail}} ({{probed}}). Sonraki adım: {{next}}',
  },
};
