import type { Catalogue } from '../shape.ts';

export const approval: Catalogue['approval'] = {
  needs_one: '{{count}} onaylayıcı gerekiyor',
  needs_other: '{{count}} farklı onaylayıcı gerekiyor',
  fromEach: 'şu grupların her birinden biri: {{groups}}',
  soFar: 'Şu ana kadar onaylayanlar: {{people}}.',
  noneYet: 'Henüz onay yok.',
  stillNeeded_one: '{{count}} onay daha gerekiyor.',
  stillNeeded_other: '{{count}} onay daha gerekiyor.',
  stillFrom: 'Hâlâ eksik: {{groups}} grubundan biri.',
  progressText: 'Şu ana kadar {{count}}/{{required}} onay.',
  counted_one:
    'Bu çalıştırmayı zaten onayladınız; her kişi bir kez sayılır. Başka birinden {{count}} onay daha gerekiyor.',
  counted_other:
    'Bu çalıştırmayı zaten onayladınız; her kişi bir kez sayılır. Başka kişilerden {{count}} onay daha gerekiyor.',
  groupLookup:
    'Kullanıcı gruplarınızı Slack üzerinden kontrol edemedim ({{why}}), bu yüzden onayınız sayılmadı. Hiçbir şey değişmedi; bir dakika sonra Onayla düğmesine yeniden tıklayın.',
  request: {
    text: '{{mentions}}: {{ask}} için onay gerekiyor; isteyen: {{requester}}.',
    askLogin:
      '{{env}} için yeniden oturum açmak (yalnızca FAZ 2, Hunter için yeni bir token cache; bayrağa dokunulmaz)',
    askFlag: '{{env}} ortamında Partner Center bayrağını ON yapmak',
    headLogin:
      '*Onay gerekiyor* — {{requester}}, *{{env}}* için yeniden oturum açmak istiyor: Hunter için yeni bir token cache (yalnızca FAZ 2; bayrağa dokunulmaz).',
    headFlag: '*Onay gerekiyor* — FAZ 3, *{{env}}* ortamında Partner Center bayrağını ON yapar.',
    actsAs:
      '*Hunter şu hesapla çalışacak:* `{{identity}}` — oturum açan hesap. Yalnızca {{env}} ortamının Partner Center kimliği olması gereken hesap buysa onaylayın.',
    requested:
      'İsteyen: {{requester}} (kendisi onaylayamaz). Onaylayanlar: {{approvers}}. Süre sonu: {{until}}.',
    noneConfigured: 'yapılandırılmamış',
    phase: '*FAZ {{phase}}* — {{status}}',
  },
  buttons: {
    approve: 'Onayla',
    reject: 'Reddet',
    notNow: 'Şimdi değil',
    titleLogin: 'Oturum açmaya izin verilsin mi?',
    titleFlag: 'Bayrak ON yapılsın mı?',
    confirmLogin: '{{requester}}, {{env}} için yeniden oturum açabilsin mi?',
    confirmFlag: '{{env}} ortamında Partner Center bayrağı ON yapılsın mı?',
  },
  decided: {
    approvedLogin: 'Onaylayan: {{who}}. Oturum açma kodu şimdi isteyene gidiyor.',
    approvedFlag: 'Onaylayan: {{who}}. FAZ 3 şimdi çalışıyor.',
    rejectedLogin: 'Reddeden: {{who}}. Oturum açılmayacak.',
    rejectedFlag: 'Reddeden: {{who}}. Bayrak OFF kalıyor.',
    reason: 'Gerekçe: {{reason}}',
  },
  reply: {
    approvedLogin: 'Onaylayan: {{who}}. Oturum açma kodu şimdi isteyenin DM’ine gidiyor.',
    approvedFlag: 'Onaylayan: {{who}}. FAZ 3 bayrağı şimdi ON yapıyor.',
    rejectedLogin: 'Reddeden: {{who}}. Oturum açılmayacak; token cache olduğu gibi kalıyor.',
    rejectedFlag: 'Reddeden: {{who}}. FAZ 3 çalışmayacak; bayrak OFF kalıyor.',
  },
  closed: 'Artık karar gerekmiyor: çalıştırma {{how}}. {{reason}}',
};
