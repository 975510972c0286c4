// The desktop's only script (no framework, nothing from a CDN). It keeps the panels live over the message
// center's push socket: it asks webos for this session's access token (POST /portal/token), opens the socket with
// it, re-reads a panel from webos when an entry says that panel changed, and on a "reauthenticate" or "reconnect"
// frame (or a dropped socket) gets a fresh token and resumes after the last entry it saw. Grants and the app
// market's changes come through no socket, so it reads the apps again every data-apps-refresh seconds while the page
// is in view, and when it comes back into view. It also uploads a file to the person's space, streamed by webos to
// netdisk.
(function () {
  'use strict';
  var csrfHeader = document.querySelector('meta[name=_csrf_header]').content;
  var csrfToken = document.querySelector('meta[name=_csrf]').content;
  var live = document.getElementById('live');
  var after = null;
  var retry = 1000;
  var queue = Promise.resolve();
  var panelsOf = { message: ['messages'], announcement: ['announcements', 'messages'], todo: ['todos', 'messages'] };

  function post(url, body, headers) {
    var h = headers || {};
    h[csrfHeader] = csrfToken;
    return fetch(url, { method: 'POST', body: body, headers: h, credentials: 'same-origin', cache: 'no-store' });
  }

  function signedOut(response) {
    if (response.status === 401) {
      window.location.reload(); // the session is over: the page sends the person to sign in again
      return true;
    }
    return false;
  }

  function refresh(panel) {
    return fetch('/portal/panels/' + panel, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (signedOut(response) || !response.ok) { return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var old = document.getElementById(panel);
        var holder = document.createElement('div');
        holder.innerHTML = html;
        var fresh = holder.firstElementChild;
        if (!old || !fresh || old.outerHTML === fresh.outerHTML) { return; } // unchanged: focus and reading stay
        var focused = document.activeElement && old.contains(document.activeElement) ? document.activeElement.id : null;
        old.replaceWith(fresh);
        if (panel === 'files') { wireUpload(); }
        if (focused && document.getElementById(focused)) { document.getElementById(focused).focus(); }
      });
  }

  function streamUrl(token) {
    var configured = document.body.getAttribute('data-stream');
    var base = configured || ((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
      + '/messages/api/v1/stream');
    return base + '?access_token=' + encodeURIComponent(token) + (after !== null ? '&after=' + after : '');
  }

  function status(on) {
    if (live) { live.textContent = live.getAttribute(on ? 'data-on' : 'data-off'); }
    document.body.setAttribute('data-live', on ? 'on' : 'off');
  }

  function connect() {
    post('/portal/token')
      .then(function (response) {
        if (signedOut(response)) { return null; }
        if (!response.ok) { throw new Error('token ' + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (!body) { return; }
        var socket = new WebSocket(streamUrl(body.accessToken));
        var resumed = false;
        socket.onmessage = function (event) {
          var frame = JSON.parse(event.data);
          if (frame.type === 'hello') {
            if (after === null) { after = frame.after; }
            retry = 1000;
            status(true);
          } else if (frame.type === 'event') {
            after = frame.seq;
            (panelsOf[frame.kind] || []).forEach(function (panel) {
              // one request at a time: a refresh of the session's token is never raced by another of its requests
              queue = queue.then(function () { return refresh(panel); }).catch(function () { return null; });
            });
          } else if (frame.type === 'reauthenticate' || frame.type === 'reconnect') {
            after = frame.after;
            document.body.setAttribute('data-resumed', String((parseInt(document.body.getAttribute('data-resumed'), 10)
              || 0) + 1));
            resumed = true;
            socket.close();
            connect();
          }
        };
        socket.onclose = function () {
          if (resumed) { return; }
          status(false);
          setTimeout(connect, retry);
          retry = Math.min(retry * 2, 30000);
        };
      })
      .catch(function () {
        status(false);
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      });
  }

  function wireUpload() {
    var form = document.getElementById('upload');
    if (!form || form.getAttribute('data-wired')) { return; }
    form.setAttribute('data-wired', 'yes');
    var input = document.getElementById('upload-file');
    var note = document.getElementById('upload-status');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var file = input.files[0];
      if (!file) { input.focus(); return; }
      note.textContent = note.getAttribute('data-sending');
      post('/portal/upload?name=' + encodeURIComponent(file.name), file,
        { 'Content-Type': 'application/octet-stream' })
        .then(function (response) {
          if (signedOut(response)) { return; }
          return response.json().then(function (body) {
            if (response.ok) {
              note.textContent = note.getAttribute('data-done') + ' ' + body.name;
              form.reset();
              return refresh('files').then(function () {
                var again = document.getElementById('upload-status');
                if (again) { again.textContent = note.textContent; }
              });
            }
            note.textContent = note.getAttribute('data-failed') + ' ' + (body.detail || body.error);
          });
        })
        .catch(function () { note.textContent = note.getAttribute('data-failed'); });
    });
  }

  function refreshApps() {
    if (document.visibilityState !== 'visible') { return; }
    queue = queue.then(function () { return refresh('apps'); }).catch(function () { return null; });
  }

  wireUpload();
  if ('WebSocket' in window) { connect(); }
  var appsEvery = parseInt(document.body.getAttribute('data-apps-refresh'), 10);
  if (appsEvery > 0) { setInterval(refreshApps, appsEvery * 1000); }
  document.addEventListener('visibilitychange', refreshApps);
}());
