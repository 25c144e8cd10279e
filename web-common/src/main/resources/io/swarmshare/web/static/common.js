'use strict';
/*
 * What the daemon's page and the tracker's page share, loaded before each page's own app.js: the
 * formatting of sizes and durations, the page's status line (#status) and its note on the link to
 * its server (#connection), and table cells. Pure where it can be; window.swarmshareWeb.
 */
window.swarmshareWeb = (() => {
  const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  const DASH = '\u2013';

  function size(bytes) {
    if (!(bytes >= 0)) return DASH;
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
    return value.toFixed(digits) + ' ' + UNITS[unit];
  }

  /** The two largest units of a number of seconds: 1d 1h, 1h 2m, 3m 5s, 59s. */
  function duration(seconds) {
    if (!(seconds >= 0)) return DASH;
    const d = Math.floor(seconds / 86400);
    const h = Math.floor(seconds % 86400 / 3600);
    const m = Math.floor(seconds % 3600 / 60);
    const s = Math.floor(seconds % 60);
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + m + 'm';
    if (m > 0) return m + 'm ' + s + 's';
    return s + 's';
  }

  let statusTimer = 0;

  /** A message in the page's status line, gone after 4 s (an error after 10 s). */
  function say(message, isError) {
    const s = document.getElementById('status');
    s.textContent = message;
    s.classList.toggle('error', !!isError);
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { s.textContent = ''; }, isError ? 10000 : 4000);
  }

  /** The header's note on the link to the server: its words, and its class (live or lost). */
  function connection(text, cls) {
    const c = document.getElementById('connection');
    c.textContent = text;
    c.className = 'connection ' + cls;
  }

  /** A new cell at the end of {@code tr} holding {@code text}. */
  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
    return td;
  }

  return Object.freeze({ DASH, size, duration, say, connection, cell });
})();
