'use strict';
/*
 * The tracker's page. It reads the tracker's JSON: /web/overview (counts, uptime, heap and the
 * traffic graph's rates, sampled by the tracker), /web/swarms (searched, sorted and paged there),
 * /web/peers (one swarm's peers, masked unless the admin key is given), /catalogue and
 * /torrents/HASH.torrent; it publishes with POST /torrents, the catalogue's own route and rules.
 * It asks again every few seconds for what is on screen only.
 */
(() => {
  const PAGE = 50;
  const REFRESH_MS = 5000;
  const ADMIN_KEY = 'swarmshare-tracker-admin';

  // ---- formatting and small logic (pure; window.trackerPage exposes them to tests) --------------

  // Sizes, durations, the status line and table cells are common.js's, shared with the daemon's page.
  const { DASH, size, duration, say, connection, cell } = window.swarmshareWeb;

  function count(n) {
    return n >= 0 ? Math.round(n).toLocaleString('en-US') : DASH;
  }

  function plural(n, word) {
    return count(n) + ' ' + word + (n === 1 ? '' : 's');
  }

  function perSecond(r) {
    if (!(r >= 0)) return DASH;
    return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
  }

  /** A magnet link (BEP 9) naming this tracker over HTTP and UDP, on the port the page came from. */
  function magnet(infoHash, name, host) {
    const hostname = host.replace(/:\d+$/, '');
    const port = (host.match(/:(\d+)$/) || [null, '80'])[1];
    return 'magnet:?xt=urn:btih:' + infoHash + '&dn=' + encodeURIComponent(name)
      + '&tr=' + encodeURIComponent('http://' + host + '/announce')
      + '&tr=' + encodeURIComponent('udp://' + hostname + ':' + port + '/announce');
  }

  /** The smallest 1, 2 or 5 times a power of ten at or above {@code max}: the graph's top line. */
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 5, 10]) {
      if (step * power >= max) return step * power;
    }
    return 10 * power;
  }

  /** Where each rate of a series goes on a canvas {@code width} x {@code height}, over {@code spanMs}. */
  function points(rates, key, top, nowMs, spanMs, width, height) {
    return rates.map((r) => [width - (nowMs - r.atMillis) / spanMs * width, height - r[key] / top * height]);
  }

  /** The swarm table's next order after a click on {@code column}: the same column flips. */
  function nextSort(view, column) {
    if (view.sort === column) return { sort: column, dir: view.dir === 'asc' ? 'desc' : 'asc' };
    return { sort: column, dir: column === 'name' ? 'asc' : 'desc' };
  }

  window.trackerPage = { size, duration, count, plural, perSecond, magnet, niceMax, points, nextSort };

  // ---- the page ---------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const swarmView = { q: '', sort: 'peers', dir: 'desc', offset: 0 };
  const catView = { q: '', offset: 0 };
  let access = { adminKeyConfigured: false, admin: false, publishKeysConfigured: false, loopback: false };
  let tab = 'swarms';
  let peersOf = null;
  let showFull = false;
  let lastOverview = null;
  let refreshTimer = 0;

  function adminKey() {
    return sessionStorage.getItem(ADMIN_KEY) || '';
  }

  async function getJson(url, headers) {
    const res = await fetch(url, { headers: headers || {}, credentials: 'same-origin' });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const error = new Error((body && body.error) || res.status + ' ' + res.statusText);
      error.status = res.status;
      throw error;
    }
    return body;
  }

  function nameCell(tr, name, infoHash) {
    const td = cell(tr, '', 'name');
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = name || infoHash;
    td.append(title);
    if (name) {
      const hash = document.createElement('span');
      hash.className = 'hash';
      hash.textContent = infoHash;
      td.append(hash);
    }
    return td;
  }

  function pager(prefix, offset, shown, total) {
    $(prefix + '-page').textContent = total === 0 ? '' : (offset + 1) + '\u2013' + (offset + shown) + ' of ' + count(total);
    $(prefix + '-prev').disabled = offset === 0;
    $(prefix + '-next').disabled = offset + shown >= total;
  }

  // ---- overview and the graph ---------------------------------------------------------------------

  const SERIES = [
    ['udpAnnounces', 'UDP announces', '#2364d2'],
    ['httpAnnounces', 'HTTP announces', '#2e8b57'],
    ['udpScrapes', 'UDP scrapes', '#9b59b6'],
    ['httpScrapes', 'HTTP scrapes', '#e08e0b'],
    ['errors', 'errors', '#b3261e'],
  ];

  async function overview() {
    const o = await getJson('/web/overview');
    lastOverview = o;
    $('sum-swarms').textContent = plural(o.swarms, 'swarm');
    $('sum-peers').textContent = plural(o.peers, 'peer');
    $('sum-seeders').textContent = count(o.seeders);
    const last = o.rates[o.rates.length - 1];
    $('sum-rate').textContent = perSecond(last ? last.udpAnnounces + last.httpAnnounces : 0);
    $('sum-uptime').textContent = duration(o.uptimeSeconds);
    const heap = size(o.heapUsed) + ' of ' + (o.heapMax > 0 ? size(o.heapMax) : 'no limit');
    $('sum-heap').textContent = heap;
    $('fact-uptime').textContent = duration(o.uptimeSeconds);
    $('fact-heap').textContent = heap;
    $('fact-announces').textContent = 'UDP ' + count(o.announces.udp) + ', HTTP ' + count(o.announces.http);
    $('fact-scrapes').textContent = 'UDP ' + count(o.scrapes.udp) + ', HTTP ' + count(o.scrapes.http);
    const kinds = [];
    for (const [protocol, byKind] of Object.entries(o.errors)) {
      for (const [kind, n] of Object.entries(byKind)) if (n > 0) kinds.push(protocol.toUpperCase() + ' ' + kind + ' ' + count(n));
    }
    $('fact-errors').textContent = count(o.errorsTotal) + (kinds.length ? ' (' + kinds.join(', ') + ')' : '');
    if (tab === 'traffic') draw(o);
  }

  function draw(o) {
    const canvas = $('graph');
    const ctx = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const left = 48;
    const bottom = 22;
    const plotW = w - left - 8;
    const plotH = h - bottom - 8;
    ctx.clearRect(0, 0, w, h);
    let max = 0;
    for (const r of o.rates) for (const [key] of SERIES) max = Math.max(max, r[key]);
    const top = niceMax(max);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#5d6678';
    ctx.strokeStyle = '#dde1e8';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = 8 + plotH - plotH * i / 4;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + plotW, y);
      ctx.stroke();
      ctx.fillText(perSecond(top * i / 4), 4, y + 4);
    }
    const spanMs = 10 * 60 * 1000;
    for (let minute = 0; minute <= 10; minute += 2) {
      const x = left + plotW - plotW * minute / 10;
      ctx.fillText(minute === 0 ? 'now' : '-' + minute + ' min', x - 16, h - 6);
    }
    const nowMs = o.rates.length ? o.rates[o.rates.length - 1].atMillis : Date.now();
    ctx.lineWidth = 2;
    for (const [key, , colour] of SERIES) {
      const pts = points(o.rates, key, top, nowMs, spanMs, plotW, plotH);
      ctx.strokeStyle = colour;
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(left + x, 8 + y) : ctx.lineTo(left + x, 8 + y)));
      ctx.stroke();
    }
    canvas.setAttribute('aria-label', 'Announces and scrapes a second over the last 10 minutes: '
      + SERIES.map(([key, label]) => label + ' ' + perSecond(o.rates.length ? o.rates[o.rates.length - 1][key] : 0)).join(', '));
  }

  function legend() {
    const ul = $('legend');
    for (const [, label, colour] of SERIES) {
      const li = document.createElement('li');
      li.textContent = label;
      li.style.setProperty('--swatch', colour);
      ul.append(li);
    }
  }

  // ---- swarms -------------------------------------------------------------------------------------

  async function swarms() {
    const params = new URLSearchParams({ q: swarmView.q, sort: swarmView.sort, dir: swarmView.dir,
      offset: String(swarmView.offset), limit: String(PAGE) });
    const page = await getJson('/web/swarms?' + params);
    const body = $('swarm-rows');
    const rows = [];
    for (const s of page.swarms) {
      const tr = document.createElement('tr');
      tr.dataset.hash = s.infoHash;
      if (s.infoHash === peersOf) tr.className = 'current';
      nameCell(tr, s.name, s.infoHash);
      cell(tr, count(s.seeders), 'num c-seeders');
      cell(tr, count(s.leechers), 'num c-leechers');
      cell(tr, count(s.completed), 'num c-completed');
      const td = cell(tr, '', 'num');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'show-peers';
      button.textContent = count(s.seeders + s.leechers) + ' \u203a';
      button.setAttribute('aria-label', 'Show the peers of ' + (s.name || s.infoHash));
      button.addEventListener('click', () => openPeers(s));
      td.append(button);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    $('swarm-empty').hidden = page.total > 0;
    pager('swarm', page.offset, page.swarms.length, page.matching);
    $('swarm-note').textContent = page.listed < page.total
      ? 'the ' + count(page.listed) + ' busiest of ' + count(page.total) + ' swarms are listed' : '';
    for (const th of document.querySelectorAll('#swarm-table th[data-sort]')) {
      if (th.dataset.sort === swarmView.sort) th.setAttribute('aria-sort', swarmView.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    if (peersOf) await peers();
  }

  function openPeers(s) {
    peersOf = s.infoHash;
    $('peers-title').textContent = 'Peers of ' + (s.name || s.infoHash);
    $('peers').hidden = false;
    for (const tr of $('swarm-rows').children) tr.classList.toggle('current', tr.dataset.hash === peersOf);
    peers().catch((e) => say(e.message, true));
  }

  async function peers() {
    const full = showFull && adminKey() !== '';
    const url = '/web/peers?hash=' + peersOf + (full ? '&full=true' : '');
    let list;
    try {
      list = await getJson(url, full ? { Authorization: 'Bearer ' + adminKey() } : {});
    } catch (e) {
      if (full && (e.status === 401 || e.status === 403)) {
        sessionStorage.removeItem(ADMIN_KEY);
        showFull = false;
        say(e.message, true);
        return peers();
      }
      throw e;
    }
    const rows = list.peers.map((p) => {
      const tr = document.createElement('tr');
      cell(tr, p.address, 'c-address');
      cell(tr, p.port === null ? '\u2022\u2022\u2022\u2022' : String(p.port), 'c-port');
      cell(tr, p.seeder ? 'seeder' : 'leecher', 'c-role');
      cell(tr, 'within ' + duration(p.announcedWithinSeconds), 'c-announced');
      return tr;
    });
    $('peer-rows').replaceChildren(...rows);
    $('peers-note').textContent = (list.peers.length === 0 ? 'No peers.'
      : plural(list.shown, 'peer') + (list.shown >= list.max ? ' shown, the most this page shows.' : '.'))
      + (list.full ? ' Full addresses, shown with the admin key.' : ' Addresses masked.');
    const button = $('peers-full');
    button.textContent = list.full ? 'Mask addresses' : 'Show full addresses\u2026';
    button.disabled = !access.adminKeyConfigured;
    button.title = access.adminKeyConfigured ? '' : 'This tracker never shows full addresses: it has no admin key.';
  }

  // ---- the catalogue ------------------------------------------------------------------------------

  async function catalogue() {
    const params = new URLSearchParams({ offset: String(catView.offset), limit: String(PAGE) });
    if (catView.q) params.set('name', catView.q);
    const page = await getJson('/catalogue?' + params);
    const rows = page.entries.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.hash = e.infoHash;
      nameCell(tr, e.name, e.infoHash);
      cell(tr, size(e.size), 'num c-size');
      cell(tr, count(e.files), 'num');
      cell(tr, count(e.seeders), 'num c-seeders');
      cell(tr, count(e.leechers), 'num c-leechers');
      cell(tr, count(e.completed), 'num');
      cell(tr, e.publisher, 'c-publisher');
      const td = cell(tr, '', 'c-get');
      const actions = document.createElement('div');
      actions.className = 'actions';
      td.append(actions);
      const file = document.createElement('a');
      file.href = '/torrents/' + e.infoHash + '.torrent';
      file.download = e.name + '.torrent';
      file.textContent = '.torrent';
      file.className = 'torrent-file';
      const link = magnet(e.infoHash, e.name, location.host);
      const open = document.createElement('a');
      open.href = link;
      open.textContent = 'magnet';
      open.className = 'magnet';
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.className = 'copy-magnet';
      copy.textContent = 'Copy magnet';
      copy.setAttribute('aria-label', 'Copy the magnet link of ' + e.name);
      copy.addEventListener('click', () => copyText(link).then(() => say('magnet link of ' + e.name + ' copied'),
        () => say('could not copy: select the magnet link and copy it', true)));
      actions.append(file, open, copy);
      return tr;
    });
    $('cat-rows').replaceChildren(...rows);
    $('cat-empty').hidden = page.total > 0 || catView.q !== '';
    pager('cat', page.offset, page.entries.length, page.total);
    $('cat-note').textContent = catView.q && page.total === 0 ? 'nothing matches' : '';
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http from another host is no secure context: the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'sr';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('copy refused');
  }

  function publishRule() {
    $('publish-key-row').hidden = !access.publishKeysConfigured;
    $('publish-key').required = access.publishKeysConfigured;
    $('publish-rule').textContent = access.publishKeysConfigured
      ? 'This tracker takes publications with a publishing key.'
      : access.loopback
        ? 'This tracker has no publishing keys: it takes publications only from its own host, as this page is.'
        : 'This tracker has no publishing keys: it takes publications only from its own host, so this page cannot publish.';
    $('publish-submit').disabled = !access.publishKeysConfigured && !access.loopback;
  }

  async function publish(event) {
    event.preventDefault();
    const file = $('publish-file').files[0];
    const result = $('publish-result');
    if (!file) return;
    const headers = { 'Content-Type': 'application/x-bittorrent' };
    const key = $('publish-key').value.trim();
    if (access.publishKeysConfigured) headers.Authorization = 'Bearer ' + key;
    $('publish-submit').disabled = true;
    try {
      const res = await fetch('/torrents', { method: 'POST', headers, body: file, credentials: 'same-origin' });
      let body = null;
      try {
        body = await res.json();
      } catch (e) {
        body = null;
      }
      if (res.status === 201 || res.status === 200) {
        result.className = 'ok';
        result.textContent = (res.status === 201 ? 'Published ' : 'Already in the catalogue: ') + body.name
          + ' (' + body.infoHash + ')';
        $('publish').reset();
        catView.q = '';
        $('cat-search').value = '';
        catView.offset = 0;
        await catalogue();
      } else {
        result.className = 'error';
        result.textContent = 'Not published: ' + ((body && body.error) || res.status + ' ' + res.statusText);
      }
    } catch (e) {
      result.className = 'error';
      result.textContent = 'Not published: ' + e.message;
    } finally {
      publishRule();
    }
  }

  // ---- wiring -------------------------------------------------------------------------------------

  async function refresh() {
    clearTimeout(refreshTimer);
    try {
      await overview();
      if (tab === 'swarms') await swarms();
      if (tab === 'catalogue') await catalogue();
      connection('live', 'live');
    } catch (e) {
      connection('cannot reach the tracker', 'lost');
    }
    refreshTimer = setTimeout(refresh, REFRESH_MS);
  }

  function show(name) {
    tab = name;
    for (const id of ['swarms', 'traffic', 'catalogue']) {
      $(id).hidden = id !== name;
      $('tab-' + id).setAttribute('aria-selected', String(id === name));
    }
    if (name === 'traffic' && lastOverview) draw(lastOverview);
    refresh();
  }

  function debounce(fn, ms) {
    let t = 0;
    return () => {
      clearTimeout(t);
      t = setTimeout(fn, ms);
    };
  }

  async function start() {
    legend();
    for (const id of ['swarms', 'traffic', 'catalogue']) $('tab-' + id).addEventListener('click', () => show(id));
    for (const th of document.querySelectorAll('#swarm-table th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => {
        Object.assign(swarmView, nextSort(swarmView, th.dataset.sort), { offset: 0 });
        swarms().catch((e) => say(e.message, true));
      });
    }
    $('swarm-search').addEventListener('input', debounce(() => {
      swarmView.q = $('swarm-search').value;
      swarmView.offset = 0;
      swarms().catch((e) => say(e.message, true));
    }, 250));
    $('swarm-prev').addEventListener('click', () => { swarmView.offset = Math.max(0, swarmView.offset - PAGE); swarms(); });
    $('swarm-next').addEventListener('click', () => { swarmView.offset += PAGE; swarms(); });
    $('cat-search').addEventListener('input', debounce(() => {
      catView.q = $('cat-search').value.trim();
      catView.offset = 0;
      catalogue().catch((e) => say(e.message, true));
    }, 250));
    $('cat-prev').addEventListener('click', () => { catView.offset = Math.max(0, catView.offset - PAGE); catalogue(); });
    $('cat-next').addEventListener('click', () => { catView.offset += PAGE; catalogue(); });
    $('peers-close').addEventListener('click', () => {
      peersOf = null;
      $('peers').hidden = true;
      for (const tr of $('swarm-rows').children) tr.classList.remove('current');
    });
    $('peers-full').addEventListener('click', () => {
      if (showFull) {
        showFull = false;
        peers().catch((e) => say(e.message, true));
      } else if (adminKey()) {
        showFull = true;
        peers().catch((e) => say(e.message, true));
      } else {
        $('admin-error').textContent = '';
        $('admin-dialog').showModal();
      }
    });
    $('admin-cancel').addEventListener('click', () => $('admin-dialog').close());
    $('admin-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const key = $('admin-key').value;
      try {
        const a = await getJson('/web/access', { Authorization: 'Bearer ' + key });
        if (!a.admin) throw new Error('that is not the tracker\'s admin key');
        sessionStorage.setItem(ADMIN_KEY, key);
        $('admin-key').value = '';
        $('admin-dialog').close();
        showFull = true;
        await peers();
      } catch (e) {
        $('admin-error').textContent = e.message;
      }
    });
    $('publish').addEventListener('submit', publish);
    document.addEventListener('keydown', (e) => {
      if (e.key === '/' && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        e.preventDefault();
        $(tab === 'catalogue' ? 'cat-search' : 'swarm-search').focus();
      }
    });
    try {
      access = await getJson('/web/access');
    } catch (e) {
      say('cannot tell what this page may do: ' + e.message, true);
    }
    publishRule();
    await refresh();
  }

  start();
})();
