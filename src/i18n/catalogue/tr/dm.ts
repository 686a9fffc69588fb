import type { Catalogue } from '../shape.ts';

export const dm: Catalogue['dm'] = {
  codeText: 'pc-verify {{env}}: {{code}} koduyla oturum açın',
  needsSignIn: '*pc-verify · {{env}}* oturum açmanızı bekliyor (aktivasyon planının FAZ 2’si).',
  yourCode: 'Kodunuz: *`{{code}}`*\nGiriş sayfasını açın, kodu girin ve onaylayın (MFA dahil).',
  openLoginPage: 'Giriş sayfasını aç',
  expires: 'Kodun süresi {{when}} saatinde doluyor. Bu mesajı sizden başka kimse görmez.',
  doneText: 'pc-verify {{env}}: oturum açma {{outcome}}',
  done: '*pc-verify · {{env}}*: oturum açma {{outcome}}. Kod artık burada gösterilmiyor.',
  preparingText: 'pc-verify {{env}}: oturum açma kodunuz hazırlanıyor…',
  preparing: '*pc-verify · {{env}}*: oturum açma kodunuz hazırlanıyor…',
  outcome: {
    done: 'tamamlandı',
    cancelled: 'iptal edildi',
    declined: 'reddedildi',
    expired: 'süresi doldu',
    failed: 'başarısız oldu',
  },
  stoppedBeforeBegan: '*{{env}}* çalıştırmanız başlamadan durdu: {{reason}}',
};
