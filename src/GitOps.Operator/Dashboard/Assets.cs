namespace GitOps.Operator.Dashboard;

/// <summary>The dashboard's one stylesheet and one script, served from /ui/static (the CSP allows nothing inline).</summary>
internal static class Assets
{
    public const string Css = """
:root { --fg: #1b1f24; --muted: #4a525c; --bg: #ffffff; --line: #d0d7de; --accent: #0b5cad; --good: #0f6b2f; --good-bg: #dcf5e3; --warn: #7a4a00; --warn-bg: #fff1cc; --bad: #a1121f; --bad-bg: #ffe1e4; --neutral-bg: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
header.top { display: flex; gap: 16px; align-items: center; padding: 10px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); margin-right: auto; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 8px 0 12px; } h2 { font-size: 1.15rem; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: #f6f8fa; font-weight: 600; } caption { text-align: left; color: var(--muted); padding: 4px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .85rem; font-weight: 600; border: 1px solid transparent; }
.badge.good { color: var(--good); background: var(--good-bg); } .badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.bad { color: var(--bad); background: var(--bad-bg); } .badge.neutral { color: var(--muted); background: var(--neutral-bg); }
.msg { color: var(--muted); } code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
.counts { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 16px; padding: 0; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px; min-width: 110px; }
.counts dt { color: var(--muted); font-size: .85rem; } .counts dd { margin: 0; font-size: 1.4rem; font-weight: 700; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 12px; }
.field { display: flex; flex-direction: column; gap: 2px; } label { font-size: .85rem; font-weight: 600; }
input, select, button { font: inherit; padding: 5px 8px; border: 1px solid #8c959f; border-radius: 5px; background: #fff; color: var(--fg); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; font-weight: 600; }
button.small { padding: 1px 8px; font-size: .85rem; } button.link { background: none; color: var(--accent); border: none; text-decoration: underline; padding: 0; }
form.inline { display: inline; } .actions form { margin-right: 8px; }
.problem { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: 8px 12px; color: #5c0a12; }
.problem-cell { color: var(--bad); max-width: 420px; }
.outcome { border-left: 4px solid var(--good); background: var(--good-bg); padding: 8px 12px; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px 24px; margin: 0 0 12px; }
.summary dt { color: var(--muted); font-size: .85rem; } .summary dd { margin: 0; }
ul.tree, ul.tree ul { list-style: none; padding-left: 20px; margin: 0; } ul.tree { padding-left: 0; }
ul.tree li { position: relative; } ul.tree ul li::before { content: "└"; position: absolute; left: -14px; color: var(--muted); }
.node { padding: 3px 0; } .kind { color: var(--muted); font-size: .85rem; text-transform: none; }
pre.diff { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow-x: auto; }
pre.diff .add { color: var(--good); background: var(--good-bg); } pre.diff .del { color: var(--bad); background: var(--bad-bg); }
pre.diff .hunk { color: var(--accent); } pre.diff .hdr { font-weight: 700; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
tr[hidden] { display: none; }
/* A long list lays out only the rows on screen. */
table.apps tbody tr { content-visibility: auto; contain-intrinsic-size: auto 34px; }
""";

    public const string Js = """
'use strict';
(function () {
  var body = document.body;
  var page = body.getAttribute('data-page');
  var base = body.getAttribute('data-base') || '';
  function filters() {
    var f = document.getElementById('filters');
    if (!f) return null;
    return { ns: f.namespace.value, project: f.project.value, status: f.status.value, q: f.q.value.trim().toLowerCase() };
  }
  function matches(row, f) {
    if (!f) return true;
    var d = row.dataset;
    if (f.ns && d.ns !== f.ns) return false;
    if (f.project && d.project !== f.project) return false;
    if (f.status && !(d.sync === f.status || d.health === f.status || (f.status === 'Failing' && d.failing === '1') || (f.status === 'Suspended' && d.suspended === '1'))) return false;
    return !f.q || d.text.indexOf(f.q) >= 0;
  }
  function recount() {
    var f = filters(), n = { total: 0, Synced: 0, OutOfSync: 0, Healthy: 0, Progressing: 0, Degraded: 0, Failing: 0 };
    document.querySelectorAll('#apps tbody tr').forEach(function (row) {
      var show = matches(row, f);
      row.hidden = !show;
      if (!show) return;
      n.total++;
      var d = row.dataset;
      if (d.sync === 'Synced' || d.sync === 'OutOfSync') n[d.sync]++;
      if (d.health === 'Healthy' || d.health === 'Progressing' || d.health === 'Degraded') n[d.health]++;
      if (row.dataset.failing === '1') n.Failing++;
    });
    Object.keys(n).forEach(function (k) { var el = document.querySelector('[data-count="' + k + '"]'); if (el) el.textContent = String(n[k]); });
  }
  function say(text) { var live = document.getElementById('live'); if (live) live.textContent = text; }
  if (page === 'list') {
    var form = document.getElementById('filters');
    form.addEventListener('input', recount);
    form.addEventListener('change', recount);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var p = new URLSearchParams(new FormData(form));
      Array.from(p.keys()).forEach(function (k) { if (!p.get(k)) p.delete(k); });
      history.replaceState(null, '', base + '/' + (p.toString() ? '?' + p.toString() : ''));
      recount();
    });
    var tbody = document.querySelector('#apps tbody');
    var source = new EventSource(base + '/ui/events');
    source.addEventListener('app', function (e) {
      var m = JSON.parse(e.data);
      var old = document.getElementById('app:' + m.key);
      if (!m.row) { if (old) old.remove(); recount(); say(m.key + ' removed'); return; }
      var t = document.createElement('template');
      t.innerHTML = m.row;
      var row = t.content.firstElementChild;
      if (old) old.replaceWith(row);
      else {
        var next = Array.from(tbody.rows).find(function (r) { return r.id.slice(4) > m.key; });
        tbody.insertBefore(row, next || null);
        var empty = document.getElementById('empty'); if (empty) empty.remove();
      }
      recount();
      say(m.key + ': ' + row.dataset.sync + ', ' + row.dataset.health);
    });
    body.setAttribute('data-live', 'connecting');
    source.addEventListener('open', function () { body.setAttribute('data-live', 'open'); });
  }
  if (page === 'app') {
    var key = body.getAttribute('data-app');
    var busy = false, again = false;
    function reload() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(location.pathname + '?part=main', { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html !== null) {
            var main = document.getElementById('main');
            var outcome = document.getElementById('outcome');
            main.innerHTML = html;
            var h1 = main.querySelector('h1');
            if (outcome && h1 && !document.getElementById('outcome')) h1.after(outcome);
          }
        })
        .finally(function () { busy = false; if (again) { again = false; reload(); } });
    }
    var appSource = new EventSource(base + '/ui/events?app=' + encodeURIComponent(key));
    appSource.addEventListener('app', reload);
    appSource.addEventListener('open', function () { body.setAttribute('data-live', 'open'); });
  }
})();
""";
}
