// The dashboard's live part: every second, swap in the server-rendered counters, chart and table for the current
// filter (the server escapes every value, so the fragment goes in as is), and send the admin panel's commands
// without leaving the page.
(function () {
  'use strict';
  var live = document.getElementById('live');
  var indicator = document.getElementById('live-indicator');
  var output = document.getElementById('admin-output');
  var PERIOD_MS = 1000;
  var busy = false;

  function refresh() {
    if (busy || !live) { return; }
    busy = true;
    fetch('/fragment/live' + (live.getAttribute('data-query') || ''), { headers: { 'X-Requested-With': 'fetch' }, cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.text(); })
      .then(function (html) {
        live.innerHTML = html;
        indicator.textContent = 'live, updated ' + new Date().toLocaleTimeString();
        indicator.className = 'live-indicator on';
      })
      .catch(function (e) {
        indicator.textContent = 'not updating (' + e.message + ')';
        indicator.className = 'live-indicator stale';
      })
      .then(function () { busy = false; });
  }

  function submitAdmin(ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains('admin-form')) { return; }
    ev.preventDefault();
    var buttons = document.querySelectorAll('.admin button');
    buttons.forEach(function (b) { b.disabled = true; });
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute('action'), {
      method: 'POST', body: body, headers: { 'X-Requested-With': 'fetch' }, cache: 'no-store'
    })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
      .then(function (res) {
        if (res.ok) {
          output.insertAdjacentHTML('beforeend', res.text);
        } else {
          output.appendChild(document.createTextNode(res.text));
        }
        output.scrollTop = output.scrollHeight;
        var input = document.getElementById('admin-command');
        if (input && form.contains(input)) { input.value = ''; }
        refresh();
      })
      .catch(function (e) { output.appendChild(document.createTextNode('request failed: ' + e.message + '\n')); })
      .then(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.addEventListener('submit', submitAdmin);
  if (live) {
    indicator.textContent = 'live';
    indicator.className = 'live-indicator on';
    setInterval(refresh, PERIOD_MS);
  }
}());
