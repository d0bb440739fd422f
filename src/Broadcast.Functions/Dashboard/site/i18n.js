// The page's words in English and Bahasa Indonesia, and numbers and dates formatted for the chosen language.
const words = {
  en: {
    appTitle: 'Broadcasts', skip: 'Skip to content', language: 'Language',
    navBroadcasts: 'Broadcasts', navNew: 'New broadcast', navMessage: 'Single message', navSuppressions: 'Suppressions', navHealth: 'Health',
    loading: 'Loading…', refresh: 'Refresh', previous: 'Previous', next: 'Next', page: 'Page {n}', none: 'Nothing here yet.',
    cancel: 'Cancel', confirm: 'Confirm', close: 'Close', save: 'Save', remove: 'Remove', send: 'Send', yes: 'Yes', no: 'No',
    keyTitle: 'API key', keyExplain: 'This app needs an API key. It is kept in this browser tab only, until you close it.',
    keyLabel: 'API key', keyUse: 'Use this key', keyWrong: 'That API key was not accepted. Check it and try again.',
    keyForget: 'Forget the API key', keyNeeded: 'An API key is needed to see this page.',
    errorNetwork: 'The app cannot be reached. Check your connection and try again.',
    errorGeneric: 'Something went wrong ({status}).', errorField: 'Field {field}', errorRow: 'row {row}', errorColumn: 'column {column}',
    name: 'Name', provider: 'Provider', status: 'Status', progress: 'Progress', rate: 'Rate', timeLeft: 'Time left', created: 'Created',
    perSecond: '{n}/s', about: 'about {d}', done: 'done', percentDone: '{p} % done',
    segSent: 'sent', segFailed: 'failed', segCanceled: 'canceled', segSuppressed: 'suppressed', segUnknown: 'unknown', segQueued: 'queued',
    noBroadcasts: 'No broadcasts yet. Start one with "New broadcast".', liveNote: 'Updates by itself every 2 seconds.',
    broadcast: 'Broadcast', counters: 'Counters', total: 'Recipients', delivered: 'Delivered', read: 'Read',
    startedAt: 'Starts / started', completedAt: 'Completed', canceledAt: 'Canceled', delivery: 'Delivery', error: 'Error',
    sendsPerMinute: 'Sends per minute', chartEmpty: 'No sends yet.', chartNote: 'From the first {n} recipients.',
    minute: 'Minute', sends: 'Sends', failuresByError: 'Failures by error', noFailures: 'No failures.', count: 'Count',
    recipients: 'Recipients', filterStatus: 'Show status', allStatuses: 'All', row: 'Row', phone: 'Phone number', attempts: 'Attempts',
    messageId: 'Vendor message id', sentAt: 'Sent at', exportCsv: 'Download CSV', cancelBroadcast: 'Cancel broadcast',
    cancelConfirm: 'Cancel broadcast "{name}"? Recipients not yet sent will not get the message.', cancelDone: 'Cancel requested.',
    request: 'Request', backToList: 'All broadcasts', waitingUntil: 'waiting until {t}',
    newTitle: 'New broadcast', step1: '1. Recipients (CSV)', step2: '2. Message', step3: '3. When',
    dropHere: 'Drop a CSV file here, or choose one', chooseFile: 'CSV file', checking: 'Checking the file…',
    report: 'Validation report', totalRows: 'Rows', validRows: 'Valid recipients', invalidRows: 'Rows with errors', duplicates: 'Duplicates removed',
    layout: 'Layout', column: 'Column', message: 'Message', rowErrors: 'Row errors', moreErrors: 'Show more errors', noErrors: 'Every row is valid.',
    notUsable: 'No row holds a valid recipient: fix the file and choose it again.',
    contentKind: 'Message type', kindText: 'Text', kindTemplate: 'Template', kindEvent: 'Event',
    text: 'Text', textHelp: 'Use {name} or {column} for each recipient\'s values, {{1}} for the first variable.',
    templateName: 'Template name', templateId: 'Template id', templateNamespace: 'Template namespace', templateLanguage: 'Template language',
    eventName: 'Event name', broadcastName: 'Broadcast name', preview: 'Preview (first rows)', previewNone: 'Choose a file to see a preview.',
    templateWith: 'Template {name} with {vars}', noVariables: 'no variables',
    sendNow: 'Send now', schedule: 'Schedule', scheduleAt: 'Date and time', yourZone: 'Your time zone: {zone} (UTC{offset})',
    startBroadcast: 'Start broadcast', scheduleBroadcast: 'Schedule broadcast', needFile: 'Choose a valid CSV file first.',
    needTime: 'Choose a date and time.', started: 'Broadcast started.',
    messageTitle: 'Send one message', messageHelp: 'Send a test to your own number before a broadcast.', to: 'To (phone number)',
    sentResult: 'Message accepted:', viewIt: 'See it',
    suppressionsTitle: 'Suppressions', suppressionsHelp: 'Numbers here are never messaged.', reason: 'Reason', source: 'Source',
    addSuppression: 'Add a number', added: 'Number {phone} added.', removed: 'Number {phone} removed.', removeConfirm: 'Allow {phone} again?',
    healthTitle: 'Health', storage: 'Storage', reachable: 'reachable', unreachable: 'not reachable', configured: 'configured',
    notConfigured: 'not configured', missing: 'missing: {settings}', vendor: 'Vendor',
    st_scheduled: 'scheduled', st_running: 'running', st_completed: 'completed', st_canceled: 'canceled', st_canceling: 'canceling',
    st_failed: 'failed', st_waiting: 'waiting', st_queued: 'queued', st_sent: 'sent', st_delivered: 'delivered', st_read: 'read',
    st_unknown: 'unknown', st_suppressed: 'suppressed', st_sending: 'sending',
  },
  id: {
    appTitle: 'Siaran', skip: 'Langsung ke isi', language: 'Bahasa',
    navBroadcasts: 'Siaran', navNew: 'Siaran baru', navMessage: 'Pesan tunggal', navSuppressions: 'Daftar blokir', navHealth: 'Kesehatan',
    loading: 'Memuat…', refresh: 'Muat ulang', previous: 'Sebelumnya', next: 'Berikutnya', page: 'Halaman {n}', none: 'Belum ada apa-apa.',
    cancel: 'Batal', confirm: 'Ya, lanjutkan', close: 'Tutup', save: 'Simpan', remove: 'Hapus', send: 'Kirim', yes: 'Ya', no: 'Tidak',
    keyTitle: 'Kunci API', keyExplain: 'Aplikasi ini memerlukan kunci API. Kunci hanya disimpan di tab browser ini sampai Anda menutupnya.',
    keyLabel: 'Kunci API', keyUse: 'Pakai kunci ini', keyWrong: 'Kunci API itu tidak diterima. Periksa lalu coba lagi.',
    keyForget: 'Lupakan kunci API', keyNeeded: 'Kunci API diperlukan untuk melihat halaman ini.',
    errorNetwork: 'Aplikasi tidak dapat dihubungi. Periksa koneksi Anda lalu coba lagi.',
    errorGeneric: 'Terjadi kesalahan ({status}).', errorField: 'Kolom isian {field}', errorRow: 'baris {row}', errorColumn: 'kolom {column}',
    name: 'Nama', provider: 'Penyedia', status: 'Status', progress: 'Kemajuan', rate: 'Kecepatan', timeLeft: 'Sisa waktu', created: 'Dibuat',
    perSecond: '{n}/dtk', about: 'sekitar {d}', done: 'selesai', percentDone: '{p} % selesai',
    segSent: 'terkirim', segFailed: 'gagal', segCanceled: 'dibatalkan', segSuppressed: 'diblokir', segUnknown: 'tidak diketahui', segQueued: 'antre',
    noBroadcasts: 'Belum ada siaran. Mulai dengan "Siaran baru".', liveNote: 'Diperbarui otomatis setiap 2 detik.',
    broadcast: 'Siaran', counters: 'Penghitung', total: 'Penerima', delivered: 'Diterima', read: 'Dibaca',
    startedAt: 'Mulai', completedAt: 'Selesai', canceledAt: 'Dibatalkan', delivery: 'Pengiriman', error: 'Galat',
    sendsPerMinute: 'Pengiriman per menit', chartEmpty: 'Belum ada pengiriman.', chartNote: 'Dari {n} penerima pertama.',
    minute: 'Menit', sends: 'Pengiriman', failuresByError: 'Kegagalan menurut galat', noFailures: 'Tidak ada kegagalan.', count: 'Jumlah',
    recipients: 'Penerima', filterStatus: 'Tampilkan status', allStatuses: 'Semua', row: 'Baris', phone: 'Nomor telepon', attempts: 'Percobaan',
    messageId: 'Id pesan penyedia', sentAt: 'Dikirim pada', exportCsv: 'Unduh CSV', cancelBroadcast: 'Batalkan siaran',
    cancelConfirm: 'Batalkan siaran "{name}"? Penerima yang belum dikirimi tidak akan mendapat pesan.', cancelDone: 'Pembatalan diminta.',
    request: 'Permintaan', backToList: 'Semua siaran', waitingUntil: 'menunggu sampai {t}',
    newTitle: 'Siaran baru', step1: '1. Penerima (CSV)', step2: '2. Pesan', step3: '3. Waktu',
    dropHere: 'Letakkan berkas CSV di sini, atau pilih berkas', chooseFile: 'Berkas CSV', checking: 'Memeriksa berkas…',
    report: 'Laporan validasi', totalRows: 'Baris', validRows: 'Penerima valid', invalidRows: 'Baris bermasalah', duplicates: 'Duplikat dibuang',
    layout: 'Tata letak', column: 'Kolom', message: 'Pesan', rowErrors: 'Galat baris', moreErrors: 'Tampilkan galat lainnya', noErrors: 'Semua baris valid.',
    notUsable: 'Tidak ada baris dengan penerima valid: perbaiki berkas lalu pilih lagi.',
    contentKind: 'Jenis pesan', kindText: 'Teks', kindTemplate: 'Templat', kindEvent: 'Event',
    text: 'Teks', textHelp: 'Pakai {name} atau {kolom} untuk nilai tiap penerima, {{1}} untuk variabel pertama.',
    templateName: 'Nama templat', templateId: 'Id templat', templateNamespace: 'Namespace templat', templateLanguage: 'Bahasa templat',
    eventName: 'Nama event', broadcastName: 'Nama siaran', preview: 'Pratinjau (baris pertama)', previewNone: 'Pilih berkas untuk melihat pratinjau.',
    templateWith: 'Templat {name} dengan {vars}', noVariables: 'tanpa variabel',
    sendNow: 'Kirim sekarang', schedule: 'Jadwalkan', scheduleAt: 'Tanggal dan jam', yourZone: 'Zona waktu Anda: {zone} (UTC{offset})',
    startBroadcast: 'Mulai siaran', scheduleBroadcast: 'Jadwalkan siaran', needFile: 'Pilih berkas CSV yang valid terlebih dahulu.',
    needTime: 'Pilih tanggal dan jam.', started: 'Siaran dimulai.',
    messageTitle: 'Kirim satu pesan', messageHelp: 'Kirim uji coba ke nomor Anda sendiri sebelum siaran.', to: 'Kepada (nomor telepon)',
    sentResult: 'Pesan diterima:', viewIt: 'Lihat',
    suppressionsTitle: 'Daftar blokir', suppressionsHelp: 'Nomor di sini tidak pernah dikirimi pesan.', reason: 'Alasan', source: 'Sumber',
    addSuppression: 'Tambah nomor', added: 'Nomor {phone} ditambahkan.', removed: 'Nomor {phone} dihapus.', removeConfirm: 'Izinkan {phone} lagi?',
    healthTitle: 'Kesehatan', storage: 'Penyimpanan', reachable: 'terjangkau', unreachable: 'tidak terjangkau', configured: 'terkonfigurasi',
    notConfigured: 'belum dikonfigurasi', missing: 'kurang: {settings}', vendor: 'Penyedia',
    st_scheduled: 'terjadwal', st_running: 'berjalan', st_completed: 'selesai', st_canceled: 'dibatalkan', st_canceling: 'sedang dibatalkan',
    st_failed: 'gagal', st_waiting: 'menunggu', st_queued: 'antre', st_sent: 'terkirim', st_delivered: 'diterima', st_read: 'dibaca',
    st_unknown: 'tidak diketahui', st_suppressed: 'diblokir', st_sending: 'sedang dikirim',
  },
};

const locales = { en: 'en-US', id: 'id-ID' };
export const languages = Object.keys(words);

let current = languages.includes(localStorage.getItem('broadcast.lang')) ? localStorage.getItem('broadcast.lang')
  : (navigator.language || '').toLowerCase().startsWith('id') ? 'id' : 'en';

export const lang = () => current;

export function setLang(value) {
  current = languages.includes(value) ? value : 'en';
  localStorage.setItem('broadcast.lang', current);
  document.documentElement.lang = current;
}

/** A word in the current language, with {placeholders} filled. */
export function t(key, params = {}) {
  const text = words[current][key] ?? words.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** A status word; a status this page does not know yet (the API grows) is shown as it is. */
export const statusWord = (status) => words[current]['st_' + status] ?? String(status ?? '');

export const number = (n, digits = 0) =>
  new Intl.NumberFormat(locales[current], { maximumFractionDigits: digits }).format(n ?? 0);

export function dateTime(value) {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(locales[current], { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export const time = (d) => new Intl.DateTimeFormat(locales[current], { hour: '2-digit', minute: '2-digit' }).format(d);

/** "1 h 5 min", "42 s": a duration as a person reads it. */
export function duration(seconds) {
  if (!Number.isFinite(seconds)) return '';
  const unit = (value, u) => new Intl.NumberFormat(locales[current], { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return unit(s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return unit(m, 'minute');
  return `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}`;
}
