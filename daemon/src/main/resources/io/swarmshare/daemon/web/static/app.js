'use strict';
/*
 * swarmshare's web UI. The torrent list lives in one Map, fed by the daemon's Server-Sent Events
 * (/web/events: the whole list first, then only what changed, once a second at most); every action
 * goes through the Transmission RPC (/transmission/rpc), as any other client's would, and a tracker's
 * catalogue is searched through the daemon (/web/catalogue), whose answer the RPC adds by URL. Only one page
 * of the sorted, filtered list is in the DOM, and its rows are kept and updated in place, so a
 * thousand torrents cost a sort a second and a hundred rows. The detail pane of one torrent asks
 * the RPC for that torrent's detail fields while it is open (they are too large to push for every
 * torrent), and the header graphs the node's total rates, sampled from the pushed list.
 */
(() => {
  const PAGE = 100;
  const FREE_SPACE_EVERY_MS = 30000;
  const DETAIL_EVERY_MS = 1500;
  const RATE_SAMPLE_MS = 1000;
  const HISTORY_SECONDS = 600;

  // ---- formatting and list logic (pure; window.swarmshare exposes them to tests) ----------------

  // Sizes, durations, the status line and table cells are common.js's, shared with the tracker's page.
  const { DASH, size, say, connection, cell } = window.swarmshareWeb;
  const eta = window.swarmshareWeb.duration;

  function rate(bytesPerSecond) {
    return bytesPerSecond > 0 ? size(bytesPerSecond) + '/s' : DASH;
  }

  function ratio(r) {
    return r >= 0 ? r.toFixed(2) : DASH;
  }

  /** Rounded down, so that 100% means every piece. */
  function percent(fraction) {
    const p = Math.floor(fraction * 1000) / 10;
    return (p === 0 || p === 100 ? p.toFixed(0) : p.toFixed(1)) + '%';
  }

  function date(epochSeconds) {
    return epochSeconds > 0 ? new Date(epochSeconds * 1000).toLocaleString() : DASH;
  }

  /** Transmission's status numbers as the page names them; an error wins over any status. */
  const STATUS = { 0: 'stopped', 1: 'queued', 2: 'checking', 3: 'queued', 4: 'downloading', 5: 'queued', 6: 'seeding' };

  function state(t) {
    return t.error ? 'error' : STATUS[t.status] || 'stopped';
  }

  /** A torrent added by its magnet link whose metadata has not come: it has no size and no files yet. */
  function awaitingMetadata(t) {
    return t.metadataPercentComplete < 1;
  }

  function stateText(t) {
    const s = state(t);
    if (s === 'error') return 'error: ' + (t.errorString || 'unknown');
    if (s === 'downloading' && awaitingMetadata(t)) return 'fetching metadata';
    return s === 'queued' ? 'queued to check' : s;
  }

  function matches(t, filter) {
    if (filter === 'all') return true;
    const s = state(t);
    return filter === 'checking' ? s === 'checking' || s === 'queued' : s === filter;
  }

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const SORT_KEYS = {
    state: state,
    eta: (t) => (t.eta >= 0 ? t.eta : Infinity),
  };

  /** A comparator on one column, {@code dir} 1 ascending or -1 descending; ties go by id. */
  function compare(column, dir) {
    const key = SORT_KEYS[column] || ((t) => t[column]);
    return (a, b) => {
      const x = key(a);
      const y = key(b);
      let c = typeof x === 'string' ? collator.compare(x, y) : x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) c = a.id - b.id;
      return c * dir;
    };
  }

  /**
   * The torrents a view shows, in its order: its state filter, its label (empty for any), its
   * search by name, its sort.
   */
  function visible(model, view) {
    const q = view.search.trim().toLowerCase();
    const list = [];
    for (const t of model.values()) {
      if (matches(t, view.filter) && (!view.label || t.labels.includes(view.label))
        && (!q || t.name.toLowerCase().includes(q))) list.push(t);
    }
    return list.sort(compare(view.sort, view.dir));
  }

  /** Every label some torrent has, once each, in the list's order for names. */
  function labelsIn(model) {
    const all = new Set();
    for (const t of model.values()) for (const l of t.labels) all.add(l);
    return [...all].sort(collator.compare);
  }

  /** Folds one pushed message into the model; the ids that completed. */
  function apply(model, update) {
    if (update.reset) model.clear();
    for (const t of update.torrents) model.set(t.id, t);
    for (const id of update.removed) model.delete(id);
    return update.completed;
  }

  /** A Transmission bitfield (base64; piece 0 is the high bit of the first byte) as one boolean a piece. */
  function piecesOf(base64, count) {
    const bytes = atob(base64 || '');
    const have = new Array(count);
    for (let i = 0; i < count; i++) {
      const byte = i >> 3 < bytes.length ? bytes.charCodeAt(i >> 3) : 0;
      have[i] = (byte & (0x80 >> (i & 7))) !== 0;
    }
    return have;
  }

  /**
   * The piece map's three states, one a piece: 'verified', 'progress' (blocks of it asked for or
   * received, not verified yet) or 'missing'; and how many there are of each. A piece in both
   * bitfields (one snapshot never says so, but they are two fields) counts as verified.
   */
  function pieceStates(have, inProgress) {
    const counts = { verified: 0, progress: 0, missing: 0 };
    const states = have.map((h, i) => (h ? 'verified' : inProgress[i] ? 'progress' : 'missing'));
    for (const s of states) counts[s]++;
    return { states, counts };
  }

  /**
   * The piece map's cells: at most {@code cells} runs of pieces, each the share (0 to 1) of its
   * pieces set in {@code bits}, so that a torrent of more pieces than the map has pixels still
   * shows them all.
   */
  function pieceCells(bits, cells) {
    const n = bits.length;
    const width = Math.min(cells, n);
    const out = [];
    for (let c = 0; c < width; c++) {
      const from = Math.floor(c * n / width);
      const to = Math.floor((c + 1) * n / width);
      let set = 0;
      for (let p = from; p < to; p++) if (bits[p]) set++;
      out.push(set / (to - from));
    }
    return out;
  }

  /** A peer's state in words, from Transmission's peer fields: which way data flows, and who chokes whom. */
  function peerFlags(p) {
    const words = [];
    if (p.isDownloadingFrom) words.push('downloading');
    else if (p.clientIsInterested) words.push('interested, choked by them');
    if (p.isUploadingTo) words.push('uploading');
    else if (p.peerIsInterested) words.push('they are interested, choked');
    if (p.isIncoming) words.push('incoming');
    if (p.isEncrypted) words.push('encrypted');
    if (p.isUTP) words.push('uTP');
    return words.length ? words.join(', ') : 'idle';
  }

  /** Host and port, an IPv6 address in brackets. */
  function hostPort(address, port) {
    return (address.includes(':') ? '[' + address + ']' : address) + ':' + port;
  }

  /** The node's total rates, one sample a second, the last ten minutes of them. */
  function recordRates(samples, now, down, up) {
    samples.push({ t: now, down, up });
    while (samples.length && samples[0].t < now - HISTORY_SECONDS * 1000) samples.shift();
    return samples;
  }

  // The RPC's rules for a torrent's labels and limits (TorrentSettings), checked here first so that
  // the page can say what is wrong beside the field rather than after a round trip.
  const MAX_LABELS = 64;
  const MAX_LABEL_LENGTH = 255;
  const MAX_SPEED_LIMIT = 2147483647;

  /** Why {@code label} (trimmed) cannot join {@code labels}, or null if it can. */
  function labelProblem(label, labels) {
    if (!label) return 'type a label first';
    if (label.includes(',')) {
      return 'a label cannot contain a comma (clients join labels with commas): ' + label;
    }
    if (label.length > MAX_LABEL_LENGTH) return 'a label is at most ' + MAX_LABEL_LENGTH + ' characters';
    if (/[\u0000-\u001f\u007f-\u009f]/.test(label)) return 'a label cannot contain control characters';
    if (labels.includes(label)) return 'it has the label ' + label + ' already';
    if (labels.length >= MAX_LABELS) return 'a torrent has at most ' + MAX_LABELS + ' labels';
    return null;
  }

  /**
   * One direction's limit from its switch and its field: {kb}, the kB/s to send (null: keep the
   * number the torrent has), or {problem}. A limit that is on needs a number above 0, since 0 is
   * no limit; one that is off may keep a number for when it is switched on again.
   */
  function limitOf(what, on, text) {
    const v = text.trim();
    const needed = { problem: what + ': a limit that is on needs a number of kB/s above 0' };
    if (v === '') return on ? needed : { kb: null };
    if (/^-\s*\d/.test(v)) return { problem: what + ' cannot be negative: ' + v };
    if (!/^\d+$/.test(v) || Number(v) > MAX_SPEED_LIMIT) {
      return { problem: what + ' must be a whole number of kB/s, not ' + v };
    }
    return on && Number(v) === 0 ? needed : { kb: Number(v) };
  }

  /** A torrent's own limits in words, as the RPC's fields say them. */
  function limitsText(t) {
    const one = (on, kb) => (on && kb > 0 ? kb + ' kB/s' : 'no limit');
    return 'down ' + one(t.downloadLimited, t.downloadLimit) + ', up ' + one(t.uploadLimited, t.uploadLimit)
      + (t.honorsSessionLimits ? '; the node\u2019s limits apply too' : '; the node\u2019s limits do not apply');
  }

  window.swarmshare = { size, rate, eta, ratio, percent, state, stateText, compare, visible, apply,
    piecesOf, pieceStates, pieceCells, peerFlags, hostPort, recordRates, labelProblem, limitOf, limitsText, labelsIn };

  // ---- the RPC ----------------------------------------------------------------------------------

  const rpc = {
    sessionId: '',
    csrf: '',
    async call(method, args) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const headers = { 'Content-Type': 'application/json', 'X-Transmission-Session-Id': this.sessionId };
        if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
        const res = await fetch('/transmission/rpc', {
          method: 'POST', headers, credentials: 'same-origin',
          body: JSON.stringify({ method, arguments: args || {} }),
        });
        if (res.status === 409) {
          this.sessionId = res.headers.get('X-Transmission-Session-Id') || '';
          continue;
        }
        if (res.status === 401) {
          showLogin();
          throw new Error('please log in again');
        }
        if (!res.ok) throw new Error(method + ': ' + res.status + ' ' + textOf(await res.text()));
        const body = await res.json();
        if (body.result !== 'success') throw new Error(body.result);
        return body.arguments;
      }
      throw new Error('the daemon kept changing its session id');
    },
  };

  function textOf(html) {
    // A parsed document of its own: nothing in it runs or loads.
    return new DOMParser().parseFromString(html, 'text/html').body.textContent.trim();
  }

  // ---- the page ---------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const torrents = new Map();
  const selected = new Set();
  const rows = new Map();
  const view = { sort: 'addedDate', dir: -1, filter: 'all', label: '', search: '', page: 0 };
  let shown = [];
  let downloadDir = '';
  let pendingFiles = [];
  let events = null;
  let freeSpaceTimer = 0;
  let rateTimer = 0;
  let scheduled = false;
  /** What session-get last said: the node's limits and port. */
  let node = null;
  const rateSamples = [];
  /** The torrent whose details are open (null for none), its last answer, and the tab shown. */
  const detail = { id: null, timer: 0, asking: false, tab: 'general', torrent: null };
  /**
   * The Options tab's form: the labels as edited; whether anything was edited since the form was
   * filled (a refresh then leaves it alone); and a count of saves begun and ended, so that an
   * answer asked for before or during a save does not fill the form with what the save replaced.
   */
  const options = { labels: [], dirty: false, saves: 0 };

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(render);
    }
  }

  const COLUMNS = [
    ['name', 'c-name', null],
    ['size', 'c-num', 'Size'],
    ['progress', 'c-progress', null],
    ['state', 'c-state', null],
    ['down', 'c-num', 'Down'],
    ['up', 'c-num', 'Up'],
    ['eta', 'c-num', 'ETA'],
    ['ratio', 'c-num', 'Ratio'],
    ['peers', 'c-num', 'Peers'],
    ['added', 'c-added', 'Added'],
  ];

  function makeRow(t) {
    const tr = document.createElement('tr');
    tr.dataset.id = t.id;
    const cells = {};
    const selectCell = document.createElement('td');
    selectCell.className = 'c-select';
    const box = document.createElement('input');
    box.type = 'checkbox';
    selectCell.append(box);
    tr.append(selectCell);
    for (const [name, cls, label] of COLUMNS) {
      const td = document.createElement('td');
      td.className = cls + ' col-' + name;
      if (label) td.dataset.label = label;
      tr.append(td);
      cells[name] = td;
    }
    const bar = document.createElement('div');
    bar.className = 'progress';
    const meter = document.createElement('div');
    meter.className = 'meter';
    meter.setAttribute('role', 'progressbar');
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', '100');
    const fill = document.createElement('div');
    meter.append(fill);
    const pct = document.createElement('span');
    pct.className = 'pct';
    bar.append(meter, pct);
    cells.progress.append(bar);
    const name = document.createElement('span');
    name.className = 't-name';
    const tags = document.createElement('span');
    tags.className = 't-labels';
    cells.name.append(name, tags);
    return { tr, box, cells, name, tags, meter, fill, pct, last: {} };
  }

  function set(row, name, text) {
    if (row.last[name] !== text) {
      row.last[name] = text;
      row.cells[name].textContent = text;
    }
  }

  function updateRow(row, t) {
    const s = state(t);
    if (row.tr.dataset.state !== s) row.tr.dataset.state = s;
    if (row.last.name !== t.name) {
      row.last.name = t.name;
      row.name.textContent = t.name;
    }
    const labels = t.labels.join(',');
    if (row.last.labels !== labels) {
      row.last.labels = labels;
      row.tags.replaceChildren(...t.labels.map((l) => {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = l;
        return tag;
      }));
    }
    const where = t.hashString + ' in ' + t.downloadDir;
    if (row.last.where !== where) {
      row.last.where = where;
      row.cells.name.title = where;
    }
    set(row, 'size', awaitingMetadata(t) ? DASH : size(t.totalSize));
    set(row, 'state', stateText(t));
    set(row, 'down', rate(t.rateDownload));
    set(row, 'up', rate(t.rateUpload));
    set(row, 'eta', eta(t.eta));
    set(row, 'ratio', ratio(t.uploadRatio));
    set(row, 'peers', t.peersConnected + (t.peersSendingToUs > 0 ? ' (' + t.peersSendingToUs + ' sending)' : ''));
    set(row, 'added', date(t.addedDate));
    const p = percent(t.percentDone);
    if (row.last.pct !== p) {
      row.last.pct = p;
      row.pct.textContent = p;
      row.fill.style.width = Math.min(100, t.percentDone * 100) + '%';
      row.meter.setAttribute('aria-valuenow', String(Math.floor(t.percentDone * 100)));
      row.meter.setAttribute('aria-label', t.name + ' ' + p);
    }
    const isSelected = selected.has(t.id);
    if (row.box.checked !== isSelected) row.box.checked = isSelected;
    row.tr.classList.toggle('selected', isSelected);
    if (row.last.boxLabel !== t.name) {
      row.last.boxLabel = t.name;
      row.box.setAttribute('aria-label', 'Select ' + t.name);
    }
  }

  /** The label filter's choices: every label some torrent has, and the one chosen even if none has it now. */
  function renderLabelFilter() {
    const labels = labelsIn(torrents);
    if (view.label && !labels.includes(view.label)) labels.push(view.label);
    const select = $('label-filter');
    if (select.dataset.labels === labels.join(',')) return;
    select.dataset.labels = labels.join(',');
    const any = document.createElement('option');
    any.value = '';
    any.textContent = 'Any label';
    select.replaceChildren(any, ...labels.map((l) => {
      const option = document.createElement('option');
      option.value = l;
      option.textContent = l;
      return option;
    }));
    select.value = view.label;
  }

  function render() {
    scheduled = false;
    renderLabelFilter();
    for (const id of selected) if (!torrents.has(id)) selected.delete(id);
    shown = visible(torrents, view);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const slice = shown.slice(view.page * PAGE, (view.page + 1) * PAGE);
    const keep = new Set(slice.map((t) => t.id));
    for (const [id, row] of rows) {
      if (!keep.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    const body = $('rows');
    let at = body.firstChild;
    for (const t of slice) {
      let row = rows.get(t.id);
      if (!row) {
        row = makeRow(t);
        rows.set(t.id, row);
      }
      updateRow(row, t);
      // Rows move only when the order changed, so a focused checkbox keeps its focus.
      if (row.tr === at) at = at.nextSibling;
      else body.insertBefore(row.tr, at);
    }

    for (const th of document.querySelectorAll('th[data-sort]')) {
      if (th.dataset.sort === view.sort) th.setAttribute('aria-sort', view.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    $('empty').hidden = torrents.size > 0;
    $('page').textContent = shown.length === 0 ? (torrents.size ? 'nothing matches' : '')
      : (view.page * PAGE + 1) + '\u2013' + (view.page * PAGE + slice.length) + ' of ' + shown.length;
    $('prev').disabled = view.page === 0;
    $('next').disabled = view.page >= pages - 1;

    let down = 0;
    let up = 0;
    for (const t of torrents.values()) {
      down += t.rateDownload;
      up += t.rateUpload;
    }
    $('node-down').textContent = size(down) + '/s' + limitNote('down');
    $('node-up').textContent = size(up) + '/s' + limitNote('up');
    $('node-count').textContent = torrents.size + (torrents.size === 1 ? ' torrent' : ' torrents');

    const n = selected.size;
    for (const id of ['start', 'stop', 'verify', 'remove']) $(id).disabled = n === 0;
    $('selection').textContent = n ? n + ' selected' : '';
    const all = $('select-all');
    const shownSelected = shown.filter((t) => selected.has(t.id)).length;
    all.checked = shown.length > 0 && shownSelected === shown.length;
    all.indeterminate = shownSelected > 0 && shownSelected < shown.length;
  }

  // ---- live updates -----------------------------------------------------------------------------

  function connect() {
    if (events) events.close();
    events = new EventSource('/web/events');
    events.addEventListener('update', (e) => {
      const completed = apply(torrents, JSON.parse(e.data));
      for (const id of completed) {
        const t = torrents.get(id);
        if (t) say(t.name + ' is complete');
      }
      connection('live', 'live');
      schedule();
    });
    events.onerror = () => {
      connection('reconnecting\u2026', 'lost');
      // A refused stream (a login that ran out) is not retried by the browser: start over.
      if (events.readyState === EventSource.CLOSED) setTimeout(start, 3000);
    };
  }

  async function freeSpace() {
    if (!downloadDir) return;
    try {
      const answer = await rpc.call('free-space', { path: downloadDir });
      $('node-free').textContent = size(answer['size-bytes']);
    } catch (e) {
      $('node-free').textContent = DASH;
    }
  }


  // ---- the node: rates graph, limits, port ------------------------------------------------------

  /** The limit in force on one direction, as a note after its rate; alt speed wins, as in the session. */
  function limitNote(direction) {
    if (!node) return '';
    const kb = node['alt-speed-enabled'] ? node['alt-speed-' + direction]
      : node['speed-limit-' + direction + '-enabled'] ? node['speed-limit-' + direction] : 0;
    return kb > 0 ? ' (limit ' + kb + ' kB/s)' : '';
  }

  function totals() {
    let down = 0;
    let up = 0;
    for (const t of torrents.values()) {
      down += t.rateDownload;
      up += t.rateUpload;
    }
    return { down, up };
  }

  function sampleRates() {
    const now = Date.now();
    const { down, up } = totals();
    recordRates(rateSamples, now, down, up);
    drawRates($('rates-graph'), rateSamples, now);
  }

  /** Down and up as two lines over the last ten minutes, scaled to the highest rate in them. */
  function drawRates(canvas, samples, now) {
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    g.clearRect(0, 0, w, h);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, s.down, s.up);
    const x = (t) => w - (now - t) / (HISTORY_SECONDS * 1000) * w;
    const y = (v) => h - 1 - (peak > 0 ? v / peak : 0) * (h - 2);
    const css = getComputedStyle(document.documentElement);
    for (const [key, color] of [['down', '--accent'], ['up', '--done']]) {
      g.strokeStyle = css.getPropertyValue(color).trim();
      g.lineWidth = 1.5;
      g.beginPath();
      samples.forEach((s, i) => (i ? g.lineTo(x(s.t), y(s[key])) : g.moveTo(x(s.t), y(s[key]))));
      g.stroke();
    }
    canvas.dataset.samples = String(samples.length);
    canvas.dataset.peak = String(peak);
    canvas.title = 'Last 10 minutes: down (blue) and up (green), highest ' + size(peak) + '/s';
  }

  function showNode(session) {
    node = session;
    const alt = session['alt-speed-enabled'];
    const button = $('alt-speed');
    button.setAttribute('aria-pressed', String(alt));
    button.textContent = 'Alt speed: ' + (alt ? 'on' : 'off');
    button.title = 'Alternative limits (' + session['alt-speed-down'] + ' kB/s down, ' + session['alt-speed-up']
      + ' kB/s up): on, they replace the node\u2019s own';
    schedule();
  }

  async function loadNode() {
    try {
      showNode(await rpc.call('session-get'));
    } catch (e) {
      say(e.message, true);
    }
  }

  async function testPort() {
    if (!node) return;
    const port = $('node-port');
    try {
      const open = (await rpc.call('port-test'))['port-is-open'];
      port.textContent = node['peer-port'] + (open ? ' (listening)' : ' (not listening)');
      port.dataset.listening = String(open);
    } catch (e) {
      port.textContent = node['peer-port'] + ' (unknown)';
    }
  }

  async function toggleAltSpeed() {
    if (!node) return;
    try {
      await rpc.call('session-set', { 'alt-speed-enabled': !node['alt-speed-enabled'] });
      await loadNode();
      say('alternative speed limits ' + (node['alt-speed-enabled'] ? 'on' : 'off'));
    } catch (e) {
      say(e.message, true);
    }
  }

  function openLimits() {
    if (!node) return;
    $('limit-down-on').checked = node['speed-limit-down-enabled'];
    $('limit-down').value = node['speed-limit-down'] || '';
    $('limit-up-on').checked = node['speed-limit-up-enabled'];
    $('limit-up').value = node['speed-limit-up'] || '';
    $('alt-down').value = node['alt-speed-down'];
    $('alt-up').value = node['alt-speed-up'];
    $('limits-dialog').showModal();
  }

  async function saveLimits() {
    const args = {
      'speed-limit-down-enabled': $('limit-down-on').checked,
      'speed-limit-up-enabled': $('limit-up-on').checked,
    };
    // The alternative limits have no switch of their own: Alt speed is theirs.
    for (const [what, field, on, key] of [
      ['Download limit', 'limit-down', args['speed-limit-down-enabled'], 'speed-limit-down'],
      ['Upload limit', 'limit-up', args['speed-limit-up-enabled'], 'speed-limit-up'],
      ['Alternative download limit', 'alt-down', false, 'alt-speed-down'],
      ['Alternative upload limit', 'alt-up', false, 'alt-speed-up']]) {
      const limit = limitOf(what, on, $(field).value);
      if (limit.problem) {
        say(limit.problem, true);
        return;
      }
      if (limit.kb !== null) args[key] = limit.kb;
    }
    $('limits-dialog').close();
    try {
      await rpc.call('session-set', args);
      await loadNode();
      say('speed limits saved');
    } catch (e) {
      say(e.message, true);
    }
  }

  // ---- the detail pane --------------------------------------------------------------------------

  const DETAIL_FIELDS = ['id', 'name', 'hashString', 'magnetLink', 'pieceSize', 'pieceCount', 'pieces',
    'piecesInProgress',
    'downloadDir', 'downloadedEver', 'uploadedEver', 'uploadRatio', 'secondsDownloading', 'secondsSeeding',
    'addedDate', 'doneDate', 'error', 'errorString', 'status', 'totalSize', 'percentDone', 'files', 'fileStats',
    'peers', 'trackerStats', 'labels', 'downloadLimit', 'downloadLimited', 'uploadLimit', 'uploadLimited',
    'honorsSessionLimits', 'metadataPercentComplete'];
  const TABS = ['general', 'files', 'peers', 'trackers', 'options'];

  function openDetail(id) {
    const opening = detail.id !== id;
    detail.id = id;
    $('detail').hidden = false;
    if (opening) {
      $('detail-name').textContent = torrents.has(id) ? torrents.get(id).name : '';
      $('detail').dataset.id = String(id);
      detail.torrent = null;
      options.dirty = false;
      $('opt-label').value = '';
      $('opt-error').textContent = '';
      clearInterval(detail.timer);
      detail.timer = setInterval(refreshDetail, DETAIL_EVERY_MS);
      refreshDetail();
    }
  }

  function closeDetail() {
    clearInterval(detail.timer);
    detail.id = null;
    $('detail').hidden = true;
    delete $('detail').dataset.id;
  }

  async function refreshDetail() {
    const id = detail.id;
    // One question at a time: a slow answer is not asked again on top of itself.
    if (id === null || detail.asking) return;
    detail.asking = true;
    const saves = options.saves;
    try {
      const answer = await rpc.call('torrent-get', { ids: [id], fields: DETAIL_FIELDS });
      if (detail.id !== id) return;
      if (!answer.torrents.length) {
        closeDetail();
        return;
      }
      renderDetail(answer.torrents[0], saves === options.saves);
    } catch (e) {
      say(e.message, true);
    } finally {
      detail.asking = false;
    }
  }

  function showTab(name, focus) {
    detail.tab = name;
    for (const tab of TABS) {
      const button = $('tab-' + tab);
      button.setAttribute('aria-selected', String(tab === name));
      button.tabIndex = tab === name ? 0 : -1;
      $('panel-' + tab).hidden = tab !== name;
    }
    if (focus) $('tab-' + name).focus();
  }

  /** The pane from one answer; the Options form too where {@code current} (no save since it was asked). */
  function renderDetail(t, current) {
    $('detail-name').textContent = t.name;
    renderGeneral(t);
    renderPieces(t);
    renderFiles(t);
    renderPeers(t);
    renderTrackers(t);
    if (current) {
      detail.torrent = t;
      if (!options.dirty) fillOptions(t);
    }
  }

  function renderGeneral(t) {
    const active = t.secondsDownloading + t.secondsSeeding;
    const facts = [
      ['hash', 'Info hash', t.hashString],
      ['magnet', 'Magnet link', t.magnetLink],
      ['pieces', 'Pieces', awaitingMetadata(t) ? 'not known until its metadata comes from its peers'
        : t.pieceCount + ' \u00d7 ' + size(t.pieceSize)],
      ['size', 'Size', awaitingMetadata(t) ? DASH : size(t.totalSize) + ', ' + percent(t.percentDone) + ' done'],
      ['where', 'Saved in', t.downloadDir],
      ['downloaded', 'Downloaded', size(t.downloadedEver)],
      ['uploaded', 'Uploaded', size(t.uploadedEver)],
      ['ratio', 'Ratio', ratio(t.uploadRatio)],
      ['active', 'Time active', eta(active) + ' (downloading ' + eta(t.secondsDownloading) + ', seeding '
        + eta(t.secondsSeeding) + ')'],
      ['added', 'Added', date(t.addedDate)],
      ['completed', 'Completed', date(t.doneDate)],
      ['error', 'Error', t.error ? t.errorString : 'none'],
      ['labels', 'Labels', t.labels.length ? t.labels.join(', ') : 'none'],
      ['limits', 'Speed limits', limitsText(t)],
    ];
    const list = document.createDocumentFragment();
    for (const [key, label, value] of facts) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.fact = key;
      if (key === 'magnet') {
        const a = document.createElement('a');
        a.href = value;
        a.textContent = value;
        dd.append(a);
      } else {
        dd.textContent = value;
      }
      list.append(dt, dd);
    }
    $('general').replaceChildren(list);
  }

  function renderPieces(t) {
    const canvas = $('piece-map');
    const width = Math.max(100, Math.floor(canvas.parentElement.clientWidth - 2));
    if (canvas.width !== width) canvas.width = width;
    const { states, counts } = pieceStates(piecesOf(t.pieces, t.pieceCount),
      piecesOf(t.piecesInProgress, t.pieceCount));
    const verified = pieceCells(states.map((s) => s === 'verified'), width);
    const fetching = pieceCells(states.map((s) => s === 'progress'), width);
    const g = canvas.getContext('2d');
    const css = getComputedStyle(document.documentElement);
    const done = css.getPropertyValue('--done').trim();
    const progress = css.getPropertyValue('--in-progress').trim();
    const missing = css.getPropertyValue('--line').trim();
    const step = width / verified.length;
    g.clearRect(0, 0, width, canvas.height);
    verified.forEach((share, i) => {
      // A cell of several pieces is drawn by its shares: verified from the bottom, in progress above.
      const x = Math.floor(i * step);
      g.fillStyle = missing;
      g.fillRect(x, 0, Math.ceil(step), canvas.height);
      const v = share > 0 ? Math.max(1, Math.round(share * canvas.height)) : 0;
      const p = fetching[i] > 0 ? Math.max(1, Math.round(fetching[i] * canvas.height)) : 0;
      if (p > 0) {
        g.fillStyle = progress;
        g.fillRect(x, Math.max(0, canvas.height - v - p), Math.ceil(step), p);
      }
      if (v > 0) {
        g.fillStyle = done;
        g.fillRect(x, canvas.height - v, Math.ceil(step), v);
      }
    });
    canvas.dataset.pieces = String(t.pieceCount);
    canvas.dataset.verified = String(counts.verified);
    canvas.dataset.inProgress = String(counts.progress);
    canvas.dataset.missing = String(counts.missing);
    const words = counts.verified + ' verified, ' + counts.progress + ' in progress, ' + counts.missing + ' missing';
    canvas.setAttribute('aria-label', 'Pieces: ' + words);
    $('piece-counts').textContent = '(' + words + ')';
  }

  function renderFiles(t) {
    const rows = document.createDocumentFragment();
    t.files.forEach((f) => {
      const tr = document.createElement('tr');
      cell(tr, f.name, 'path');
      cell(tr, size(f.length), 'num');
      cell(tr, percent(f.length ? f.bytesCompleted / f.length : 1), 'num');
      rows.append(tr);
    });
    $('files').replaceChildren(rows);
  }

  function renderPeers(t) {
    const rows = document.createDocumentFragment();
    for (const p of t.peers) {
      const tr = document.createElement('tr');
      cell(tr, hostPort(p.address, p.port), 'address');
      cell(tr, p.clientName, 'client');
      cell(tr, peerFlags(p), 'flags').title = 'Transmission\u2019s flags: ' + p.flagStr;
      cell(tr, rate(p.rateToClient), 'num');
      cell(tr, rate(p.rateToPeer), 'num');
      cell(tr, percent(p.progress), 'num');
      rows.append(tr);
    }
    $('peers').replaceChildren(rows);
    $('no-peers').hidden = t.peers.length > 0;
  }

  function count(n) {
    return n >= 0 ? String(n) : DASH;
  }

  function renderTrackers(t) {
    const now = Date.now() / 1000;
    const rows = document.createDocumentFragment();
    for (const k of t.trackerStats) {
      const tr = document.createElement('tr');
      cell(tr, k.announce, 'path');
      cell(tr, String(k.tier + 1), 'num');
      const last = !k.hasAnnounced ? 'not yet'
        : date(k.lastAnnounceTime) + ': ' + (k.lastAnnounceSucceeded
          ? 'got ' + k.lastAnnouncePeerCount + (k.lastAnnouncePeerCount === 1 ? ' peer' : ' peers')
          : 'error: ' + k.lastAnnounceResult);
      const lastCell = cell(tr, last, 'last');
      if (k.hasAnnounced && !k.lastAnnounceSucceeded) lastCell.classList.add('error');
      cell(tr, k.nextAnnounceTime > 0 ? 'in ' + eta(Math.max(0, k.nextAnnounceTime - now)) : DASH, 'next');
      cell(tr, count(k.seederCount), 'num');
      cell(tr, count(k.leecherCount), 'num');
      cell(tr, count(k.downloadCount), 'num');
      rows.append(tr);
    }
    $('trackers').replaceChildren(rows);
    $('no-trackers').hidden = t.trackerStats.length > 0;
  }

  // ---- the Options tab: labels and the torrent's own speed limits --------------------------------

  /** The form as the torrent has it, which undoes any edit. */
  function fillOptions(t) {
    options.labels = t.labels.slice();
    options.dirty = false;
    renderLabels();
    $('opt-down-on').checked = t.downloadLimited;
    $('opt-down').value = t.downloadLimit > 0 ? String(t.downloadLimit) : '';
    $('opt-up-on').checked = t.uploadLimited;
    $('opt-up').value = t.uploadLimit > 0 ? String(t.uploadLimit) : '';
    $('opt-honors').checked = t.honorsSessionLimits;
  }

  function renderLabels() {
    const items = options.labels.map((label) => {
      const li = document.createElement('li');
      const text = document.createElement('span');
      text.textContent = label;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '\u00d7';
      remove.title = 'Remove the label ' + label;
      remove.setAttribute('aria-label', 'Remove the label ' + label);
      remove.addEventListener('click', () => {
        options.labels = options.labels.filter((l) => l !== label);
        options.dirty = true;
        renderLabels();
        $('opt-label').focus();
      });
      li.append(text, remove);
      return li;
    });
    $('opt-labels').replaceChildren(...items);
    $('opt-no-labels').hidden = items.length > 0;
  }

  function optionsProblem(message, field) {
    $('opt-error').textContent = message;
    if (field) $(field).focus();
  }

  /** The label typed, added to the form's list (saved with Save); false if it cannot be. */
  function addLabel() {
    const label = $('opt-label').value.trim();
    const problem = labelProblem(label, options.labels);
    if (problem) {
      optionsProblem(problem, 'opt-label');
      return false;
    }
    options.labels.push(label);
    options.dirty = true;
    $('opt-label').value = '';
    $('opt-error').textContent = '';
    renderLabels();
    return true;
  }

  /** One torrent-set with the labels and both limits, once every field is one the RPC takes. */
  async function saveOptions() {
    const id = detail.id;
    if (id === null) return;
    // A label typed but not added yet goes with the save rather than being lost.
    if ($('opt-label').value.trim() && !addLabel()) return;
    const args = {
      ids: [id],
      labels: options.labels,
      downloadLimited: $('opt-down-on').checked,
      uploadLimited: $('opt-up-on').checked,
      honorsSessionLimits: $('opt-honors').checked,
    };
    for (const [what, field, key] of [['Download limit', 'opt-down', 'downloadLimit'],
      ['Upload limit', 'opt-up', 'uploadLimit']]) {
      const limit = limitOf(what, $(field + '-on').checked, $(field).value);
      if (limit.problem) {
        optionsProblem(limit.problem, field);
        return;
      }
      if (limit.kb !== null) args[key] = limit.kb;
    }
    $('opt-error').textContent = '';
    options.saves++;
    try {
      await rpc.call('torrent-set', args);
      options.saves++;
      options.dirty = false;
      say('saved the options of ' + $('detail-name').textContent);
    } catch (e) {
      optionsProblem(e.message);
      return;
    }
    refreshDetail();
  }

  // ---- actions ----------------------------------------------------------------------------------

  async function act(method, done, extra) {
    const ids = [...selected];
    if (!ids.length) return;
    try {
      await rpc.call(method, Object.assign({ ids }, extra || {}));
      say(done + ' ' + ids.length + (ids.length === 1 ? ' torrent' : ' torrents'));
    } catch (e) {
      say(e.message, true);
    }
  }

  function askRemove() {
    if (!selected.size) return;
    const names = [...selected].map((id) => torrents.get(id)).filter(Boolean).map((t) => t.name);
    $('remove-what').textContent = names.length === 1 ? 'Remove ' + names[0] + '?'
      : 'Remove these ' + names.length + ' torrents?';
    $('delete-data').checked = false;
    $('remove-dialog').showModal();
  }

  function openAdd(files) {
    pendingFiles = files || [];
    $('add-file').value = '';
    $('add-link').value = '';
    $('add-link-error').textContent = '';
    $('add-files').textContent = pendingFiles.map((f) => f.name).join(', ');
    if (!$('add-dir').value) $('add-dir').value = downloadDir;
    $('add-dialog').showModal();
  }

  function base64Of(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
      reader.onerror = () => reject(new Error('cannot read ' + file.name));
      reader.readAsDataURL(file);
    });
  }

  /** What the add dialog says of where and how: its download directory and whether to start paused. */
  function addArgs() {
    const args = { paused: $('add-paused').checked };
    const dir = $('add-dir').value.trim();
    if (dir) args['download-dir'] = dir;
    return args;
  }

  /** What the link field holds, if it is one the daemon adds: a magnet link or an http(s) URL. */
  function linkOf(text) {
    const link = text.trim();
    if (!link) return { link: null };
    return /^(magnet:\?|https?:\/\/)/i.test(link) ? { link: link }
      : { problem: 'a link starts with magnet:? or http:// or https://, not ' + link.slice(0, 40) };
  }

  async function addFiles() {
    const files = [...$('add-file').files, ...pendingFiles];
    const typed = linkOf($('add-link').value);
    if (typed.problem) {
      $('add-link-error').textContent = typed.problem;
      $('add-link').focus();
      return;
    }
    if (!files.length && !typed.link) {
      $('add-link-error').textContent = 'choose a .torrent file, paste a link, or search a catalogue';
      return;
    }
    $('add-dialog').close();
    const args = addArgs();
    const said = [];
    if (typed.link) {
      try {
        const answer = await rpc.call('torrent-add', Object.assign({ filename: typed.link }, args));
        said.push(answer['torrent-added'] ? 'added ' + answer['torrent-added'].name
          : 'already there: ' + answer['torrent-duplicate'].name);
      } catch (e) {
        said.push(e.message);
      }
    }
    for (const file of files) {
      try {
        const answer = await rpc.call('torrent-add', Object.assign({ metainfo: await base64Of(file) }, args));
        said.push(answer['torrent-added'] ? 'added ' + answer['torrent-added'].name
          : 'already there: ' + answer['torrent-duplicate'].name);
      } catch (e) {
        said.push(file.name + ': ' + e.message);
      }
    }
    pendingFiles = [];
    say(said.join('; '), said.some((s) => !s.startsWith('added ') && !s.startsWith('already')));
    freeSpace();
  }

  // ---- a tracker's catalogue --------------------------------------------------------------------

  /** The configured trackers, offered in the dialog's tracker field; the first one filled in. */
  async function loadCatalogueTrackers() {
    try {
      const res = await fetch('/web/catalogue', { credentials: 'same-origin' });
      if (!res.ok) return;
      const trackers = (await res.json()).trackers || [];
      $('cat-trackers').replaceChildren(...trackers.map((t) => {
        const option = document.createElement('option');
        option.value = t;
        return option;
      }));
      if (!$('cat-tracker').value && trackers.length) $('cat-tracker').value = trackers[0];
    } catch (e) {
      // The field still takes a tracker typed in.
    }
  }

  /** The daemon asks the tracker (the page cannot: another origin) and answers with each entry's .torrent URL. */
  async function searchCatalogue() {
    const tracker = $('cat-tracker').value.trim();
    const result = $('cat-result');
    if (!tracker) {
      result.textContent = 'name a tracker first';
      $('cat-tracker').focus();
      return;
    }
    result.textContent = 'searching\u2026';
    const headers = { 'Content-Type': 'application/json' };
    if (rpc.csrf) headers['X-CSRF-Token'] = rpc.csrf;
    let res;
    let body;
    try {
      res = await fetch('/web/catalogue', {
        method: 'POST', headers, credentials: 'same-origin',
        body: JSON.stringify({ tracker, name: $('cat-name').value }),
      });
      body = await res.json().catch(() => ({}));
    } catch (e) {
      result.textContent = 'cannot reach the daemon';
      return;
    }
    if (res.status === 401) {
      $('add-dialog').close();
      showLogin();
      return;
    }
    const list = $('cat-entries');
    if (!res.ok) {
      result.textContent = body.error || 'the search failed (' + res.status + ')';
      list.replaceChildren();
      return;
    }
    const items = body.entries.map((entry) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'cat-name';
      name.textContent = entry.name;
      const facts = document.createElement('span');
      facts.className = 'muted';
      facts.textContent = size(entry.size) + ', ' + entry.seeders + (entry.seeders === 1 ? ' seeder' : ' seeders');
      const add = document.createElement('button');
      add.type = 'button';
      add.className = 'cat-add';
      add.textContent = 'Add';
      add.setAttribute('aria-label', 'Add ' + entry.name);
      add.addEventListener('click', () => addFromCatalogue(entry));
      li.append(name, facts, add);
      return li;
    });
    list.replaceChildren(...items);
    const n = items.length;
    result.textContent = n === 0 ? 'nothing of that name in this catalogue'
      : body.total > n ? n + ' of ' + body.total + ' shown: narrow the name down'
        : n + (n === 1 ? ' match' : ' matches');
  }

  /** The same path as any URL: torrent-add with the entry's .torrent URL, which the daemon fetches. */
  async function addFromCatalogue(entry) {
    $('add-dialog').close();
    try {
      const answer = await rpc.call('torrent-add', Object.assign({ filename: entry.torrentUrl }, addArgs()));
      say(answer['torrent-added'] ? 'added ' + answer['torrent-added'].name
        : 'already there: ' + answer['torrent-duplicate'].name);
    } catch (e) {
      say(entry.name + ': ' + e.message, true);
    }
    freeSpace();
  }

  // ---- login ------------------------------------------------------------------------------------

  function showLogin() {
    if (events) events.close();
    events = null;
    $('app').hidden = true;
    $('login').hidden = false;
    $('logout').hidden = true;
    $('limits').hidden = true;
    $('alt-speed').hidden = true;
    closeDetail();
    connection('logged out', 'lost');
    $('login-user').focus();
  }

  async function logIn(e) {
    e.preventDefault();
    $('login-error').textContent = '';
    const res = await fetch('/web/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin',
      body: JSON.stringify({ username: $('login-user').value, password: $('login-password').value }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      $('login-error').textContent = body.error || 'the login failed (' + res.status + ')';
      $('login-password').value = '';
      $('login-password').focus();
      return;
    }
    $('login-password').value = '';
    rpc.csrf = body.csrf;
    showApp(true);
  }

  async function logOut() {
    await fetch('/web/logout', { method: 'POST', headers: { 'X-CSRF-Token': rpc.csrf }, credentials: 'same-origin' });
    rpc.csrf = '';
    torrents.clear();
    schedule();
    showLogin();
  }

  async function showApp(loggedIn) {
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = !loggedIn;
    $('limits').hidden = false;
    $('alt-speed').hidden = false;
    try {
      const session = await rpc.call('session-get');
      downloadDir = session['download-dir'];
      $('add-dir').value = downloadDir;
      loadCatalogueTrackers();
      showNode(session);
      testPort();
    } catch (e) {
      say(e.message, true);
      return;
    }
    freeSpace();
    clearInterval(freeSpaceTimer);
    freeSpaceTimer = setInterval(() => {
      freeSpace();
      loadNode(); // another client may have changed the limits
      testPort();
    }, FREE_SPACE_EVERY_MS);
    clearInterval(rateTimer);
    rateTimer = setInterval(sampleRates, RATE_SAMPLE_MS);
    connect();
    schedule();
  }

  async function start() {
    let s;
    try {
      s = await (await fetch('/web/session', { credentials: 'same-origin' })).json();
    } catch (e) {
      connection('cannot reach the daemon', 'lost');
      setTimeout(start, 5000);
      return;
    }
    if (s.login === 'required') {
      showLogin();
      return;
    }
    rpc.csrf = s.csrf;
    showApp(s.login === 'done');
  }

  // ---- wiring -----------------------------------------------------------------------------------

  function typing(target) {
    return target.closest('input:not([type=checkbox]), select, textarea, dialog, .options');
  }

  function wire() {
    $('login-form').addEventListener('submit', logIn);
    $('logout').addEventListener('click', logOut);
    $('start').addEventListener('click', () => act('torrent-start', 'started'));
    $('stop').addEventListener('click', () => act('torrent-stop', 'stopped'));
    $('verify').addEventListener('click', () => act('torrent-verify', 'verifying'));
    $('remove').addEventListener('click', askRemove);
    $('remove-dialog').addEventListener('close', () => {
      if ($('remove-dialog').returnValue === 'remove') {
        const deleting = $('delete-data').checked;
        act('torrent-remove', deleting ? 'removed with their data' : 'removed', { 'delete-local-data': deleting })
          .then(() => { selected.clear(); schedule(); freeSpace(); });
      }
    });
    $('add').addEventListener('click', () => openAdd([]));
    $('add-cancel').addEventListener('click', () => $('add-dialog').close());
    $('add-form').addEventListener('submit', (e) => {
      e.preventDefault();
      addFiles();
    });
    $('cat-search').addEventListener('click', searchCatalogue);
    for (const field of ['cat-tracker', 'cat-name']) {
      $(field).addEventListener('keydown', (e) => {
        // Enter searches, rather than submitting the dialog's files.
        if (e.key === 'Enter') {
          e.preventDefault();
          searchCatalogue();
        }
      });
    }
    $('add-file').addEventListener('change', () => {
      $('add-files').textContent = [...$('add-file').files, ...pendingFiles].map((f) => f.name).join(', ');
    });

    $('alt-speed').addEventListener('click', toggleAltSpeed);
    $('limits').addEventListener('click', openLimits);
    $('limits-cancel').addEventListener('click', () => $('limits-dialog').close());
    $('limits-form').addEventListener('submit', (e) => {
      e.preventDefault();
      saveLimits();
    });
    $('detail-close').addEventListener('click', closeDetail);
    $('options-form').addEventListener('input', () => { options.dirty = true; });
    $('options-form').addEventListener('submit', (e) => {
      e.preventDefault();
      saveOptions();
    });
    $('opt-label-add').addEventListener('click', addLabel);
    $('opt-label').addEventListener('keydown', (e) => {
      // Enter adds the label; Save sends the form.
      if (e.key === 'Enter') {
        e.preventDefault();
        addLabel();
      }
    });
    $('opt-undo').addEventListener('click', () => {
      $('opt-label').value = '';
      $('opt-error').textContent = '';
      if (detail.torrent) fillOptions(detail.torrent);
    });
    for (const tab of TABS) $('tab-' + tab).addEventListener('click', () => showTab(tab, false));
    document.querySelector('.tabs').addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const at = TABS.indexOf(detail.tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1);
      showTab(TABS[at % TABS.length], true);
    });

    $('filter').addEventListener('change', () => {
      view.filter = $('filter').value;
      view.page = 0;
      schedule();
    });
    $('label-filter').addEventListener('change', () => {
      view.label = $('label-filter').value;
      view.page = 0;
      schedule();
    });
    $('search').addEventListener('input', () => {
      view.search = $('search').value;
      view.page = 0;
      schedule();
    });
    $('search').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        $('search').value = '';
        view.search = '';
        schedule();
      }
    });
    for (const th of document.querySelectorAll('th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => {
        const column = th.dataset.sort;
        view.dir = view.sort === column ? -view.dir : column === 'name' || column === 'state' ? 1 : -1;
        view.sort = column;
        schedule();
      });
    }
    $('prev').addEventListener('click', () => { view.page = Math.max(0, view.page - 1); schedule(); });
    $('next').addEventListener('click', () => { view.page++; schedule(); });
    $('select-all').addEventListener('change', () => {
      const on = $('select-all').checked;
      for (const t of shown) {
        if (on) selected.add(t.id);
        else selected.delete(t.id);
      }
      schedule();
    });

    const body = $('rows');
    body.addEventListener('change', (e) => {
      const tr = e.target.closest('tr');
      if (!tr || e.target.type !== 'checkbox') return;
      const id = Number(tr.dataset.id);
      if (e.target.checked) selected.add(id);
      else selected.delete(id);
      schedule();
    });
    body.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (!tr || e.target.closest('input, button, a')) return;
      const id = Number(tr.dataset.id);
      if (e.ctrlKey || e.metaKey) {
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
      } else {
        selected.clear();
        selected.add(id);
        openDetail(id);
      }
      schedule();
    });
    body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const tr = e.target.closest('tr');
        if (tr) {
          e.preventDefault();
          openDetail(Number(tr.dataset.id));
        }
        return;
      }
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const tr = e.target.closest('tr');
      const next = tr && (e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling);
      if (next) {
        e.preventDefault();
        next.querySelector('input').focus();
      }
    });

    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || $('app').hidden) return;
      if (e.key === '/') {
        e.preventDefault();
        $('search').focus();
      } else if (e.key === 'a') {
        e.preventDefault();
        openAdd([]);
      } else if (e.key === 'Delete') {
        askRemove();
      } else if (e.key === 'Escape') {
        if (detail.id !== null) {
          closeDetail();
        } else {
          selected.clear();
          schedule();
        }
      }
    });

    // Dropping .torrent files anywhere on the page opens the add dialog with them.
    let depth = 0;
    document.addEventListener('dragenter', (e) => {
      if ($('app').hidden || !e.dataTransfer.types.includes('Files')) return;
      depth++;
      $('drop').hidden = false;
    });
    document.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (!depth) $('drop').hidden = true;
    });
    document.addEventListener('dragover', (e) => e.preventDefault());
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      $('drop').hidden = true;
      if ($('app').hidden) return;
      const files = [...e.dataTransfer.files].filter((f) => f.name.endsWith('.torrent'));
      if (files.length) openAdd(files);
      else say('only .torrent files can be dropped here', true);
    });
  }

  wire();
  start();
})();
