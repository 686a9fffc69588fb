import type { Catalogue } from '../shape.ts';

export const buttons: Catalogue['buttons'] = {
  foreign: 'Bu tıklama bu çalışma alanından ve uygulamadan gelmedi; hiçbir şey değişmedi.',
  unrecorded: 'pc-verify bunu şu anda kaydedemedi; hiçbir şey değişmedi. Yeniden deneyin.',
  unreadable: 'pc-verify bu düğmeyi okuyamadı (değiştirilmiş ya da eskimiş); hiçbir şey değişmedi.',
  unknown: 'pc-verify bu düğmeyi tanımıyor (değiştirilmiş ya da eski bir sürümden); hiçbir şey değişmedi.',
  startFailed: 'pc-verify çalıştırmayı şu anda başlatamadı; hiçbir şey başlatılmadı. Yeniden deneyin.',
};
