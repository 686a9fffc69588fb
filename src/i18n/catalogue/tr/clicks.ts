import type { Catalogue } from '../shape.ts';

export const clicks: Catalogue['clicks'] = {
  noRun: 'Bu düğme bir çalıştırmayı göstermiyor (değiştirilmiş ya da eskimiş).',
  unknownRun: 'pc-verify bu çalıştırmayı tanımıyor.',
  notAwaitingApproval: 'Bu çalıştırma artık onay beklemiyor (durumu: {{state}}).',
  notTheRequest: 'Bu tıklama bu çalıştırmanın onay isteğinden gelmedi; hiçbir şey değişmedi.',
  expired: 'Bu onay isteğinin süresi doldu; yeni bir çalıştırma başlatın.',
  decidedFirst: 'Başka biri önce karar verdi: çalıştırmanın durumu {{state}}.',
  noKnownRun: 'Bu düğme bilinen bir çalıştırmayı göstermiyor.',
  notAwaitingConfirmation: 'Bu çalıştırma artık bir onay yanıtı beklemiyor (durumu: {{state}}).',
  notTheConfirmation: 'Bu tıklama bu çalıştırmanın onay sorusundan gelmedi; hiçbir şey değişmedi.',
  envGone: 'Bu çalıştırmanın ortamı ({{env}}) artık yapılandırmada yok.',
  answeredFirst: 'Başka biri önce yanıtladı: çalıştırmanın durumu {{state}}.',
  breakGlass: {
    unnamed: 'Bu düğme pc-verify’ın bildiği bir break-glass’ı göstermiyor; hiçbir şey değişmedi.',
    notApprover: 'Bir break-glass’ı incelendi olarak yalnızca *{{env}}* onaylayanları işaretleyebilir.',
    unknown: 'pc-verify bu break-glass’ı tanımıyor; hiçbir şey değişmedi.',
    already: 'Zaten incelendi ({{who}}).',
  },
};
