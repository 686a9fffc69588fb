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
};
