import type { Catalogue } from '../shape.ts';

export const window: Catalogue['window'] = {
  closed_approval:
    'Değişiklik penceresi dışında: FAZ 3 yalnızca pencere açıldığında başlar, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}). Şimdi verilen onay o zaman uygulanır.',
  frozen_approval:
    '{{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}) tarihine kadar değişiklik dondurma: {{reason}}. FAZ 3 yalnızca bir sonraki pencere açıldığında başlar, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}}. Şimdi verilen onay o zaman uygulanır.',
  never_opens:
    'Bir yıl içinde hiçbir değişiklik penceresi açılmıyor (yapılandırmadaki pencereler ve dondurmalar): FAZ 3 başlayamaz; çalıştırmayı iptal edin ya da yapılandırmayı değiştirin.',
  waiting:
    'FAZ 3 değişiklik penceresini bekliyor: pencere açıldığında kendiliğinden başlar, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}). Çalıştırma ve ortamı dışında hiçbir şey tutulmuyor; iptal ile durdurulabilir.',
  waiting_frozen:
    'FAZ 3 bekliyor: {{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}) tarihine kadar değişiklik dondurma: {{reason}}. Bir sonraki pencere açıldığında kendiliğinden başlar, {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}}; iptal ile durdurulabilir.',
  opened: 'Değişiklik penceresi açık: FAZ 3 şimdi başlıyor.',
  state: 'değişiklik penceresinin açılmasını bekliyor',
  approved: '{{by}} onayladı: FAZ 3 değişiklik penceresi açıldığında bayrağı ON yapar.',
  status_open: 'değişiklik penceresi: şu an açık',
  status_closed:
    'değişiklik penceresi: kapalı, açılış {{when, datetime(weekday: short; day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}})',
  status_never: 'değişiklik penceresi: bir yıl içinde açılmıyor',
  status_freeze:
    '{{until, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}}) tarihine kadar dondurma: {{reason}}',
  status_next_freeze:
    'sıradaki dondurma {{from, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} – {{until, datetime(day: numeric; month: short; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}',
};
