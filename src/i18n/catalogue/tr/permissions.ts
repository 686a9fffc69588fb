import type { Catalogue } from '../shape.ts';

export const permissions: Catalogue['permissions'] = {
  channels: '*{{env}}* yalnızca şu kanallardan yönetilebilir: {{where}}. Oraya gidip komutu yeniden yazın.',
  nobody: {
    start:
      '*{{env}}* için henüz kimse çalıştırma başlatamaz: yapılandırmada hiç talep eden (requesters) yok (environments.{{env}}.policy).',
    cancel:
      '*{{env}}* çalıştırmalarını henüz kimse iptal edemez: yapılandırmada hiç talep eden ya da onaylayan yok (environments.{{env}}.policy).',
    off: '*{{env}}* henüz kimse tarafından kapatılamaz: yapılandırmada hiç talep eden ya da onaylayan yok (environments.{{env}}.policy).',
    read: '*{{env}}* henüz kimse tarafından görüntülenemez: yapılandırmada hiç talep eden ya da onaylayan yok (environments.{{env}}.policy).',
  },
  groupLookup:
    'Kullanıcı gruplarınızı Slack üzerinden kontrol edemedim ({{why}}). Hiçbir şey yapılmadı; bir dakika sonra yeniden deneyin.',
  notAllowed: {
    start:
      '*{{env}}* için çalıştırma başlatma yetkiniz yok: talep edenlerinden biri değilsiniz. Platform ekibinden sizi (ya da üyesi olduğunuz bir kullanıcı grubunu) environments.{{env}}.policy.requesters listesine eklemesini isteyin.',
    cancel:
      '*{{env}}* çalıştırmalarını iptal etme yetkiniz yok: talep edenlerinden ya da onaylayanlarından biri değilsiniz. Platform ekibinden sizi (ya da üyesi olduğunuz bir kullanıcı grubunu) environments.{{env}}.policy.requesters listesine eklemesini isteyin.',
    off: '*{{env}}* ortamını kapatma yetkiniz yok: talep edenlerinden ya da onaylayanlarından biri değilsiniz. Platform ekibinden sizi (ya da üyesi olduğunuz bir kullanıcı grubunu) environments.{{env}}.policy.requesters listesine eklemesini isteyin.',
    read: '*{{env}}* ortamını görüntüleme yetkiniz yok: talep edenlerinden ya da onaylayanlarından biri değilsiniz. Platform ekibinden sizi (ya da üyesi olduğunuz bir kullanıcı grubunu) environments.{{env}}.policy.requesters listesine eklemesini isteyin.',
  },
  selfApproval:
    'Bu çalıştırmayı siz talep ettiniz, bu yüzden onaylayamazsınız: kararı ikinci bir kişi vermeli.',
  notApprover: 'FAZ 3 hakkında yalnızca *{{env}}* onaylayanları karar verebilir.',
  notRequester: 'Yalnızca bu çalıştırmayı talep eden kişi yanıtlayabilir.',
};
