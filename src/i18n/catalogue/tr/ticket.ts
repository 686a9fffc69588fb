import type { Catalogue } from '../shape.ts';

export const ticket: Catalogue['ticket'] = {
  label: 'Değişiklik talebi: {{ticket}}',
  missing:
    '*{{env}}* için değişiklik talebi zorunlu, bu yüzden hiçbir şey başlatılmadı. `/pc-verify {{env}} <talep>` yazın; talep `{{pattern}}` biçimine uymalı.',
  missingAny:
    '*{{env}}* için değişiklik talebi zorunlu, bu yüzden hiçbir şey başlatılmadı. `/pc-verify {{env}} <talep>` yazın, örneğin `/pc-verify {{env}} CHG0012345`.',
  malformed:
    '`{{given}}`, *{{env}}* ortamının kabul ettiği bir değişiklik talebi değil: `{{pattern}}` biçimine uymalı. Hiçbir şey başlatılmadı; bu biçimde bir taleple `/pc-verify {{env}} <talep>` yazın.',
  notTaken:
    '*{{env}}* değişiklik talebi almıyor, bu yüzden `{{given}}` anlaşılmadı ve hiçbir şey başlatılmadı. Yalnızca `/pc-verify {{env}}` yazın.',
  asked: '*{{env}}* için değişiklik talebi zorunlu: açılan pencereye yazın, çalıştırma başlasın.',
  modalTitle: 'Değişiklik talebi',
  modalSubmit: 'Çalıştırmayı başlat',
  modalIntro: '*{{env}}* ortamında çalıştırma başlatmak için değişiklik talebi zorunlu.',
  modalCancel: 'Vazgeç',
  modalLabel: 'Değişiklik talebi',
  modalHint: '{{pattern}} biçimine uymalı',
};
