// Joule driver page: the region with the connector's status and the person's session is re-read from the
// server whenever the connector's event stream (/c/{station}/{connector}/events, open to passers-by too) says
// something changed there: status, a session starting, meter values, a stop. The figures (energy, power, cost
// so far) are always the server's, never computed here. Without the stream (it failed, or the browser has no
// EventSource), a running session is re-read every 5 seconds instead, for at most an hour.
(function () {
  "use strict";
  var region = document.getElementById("driver-live");
  if (!region || !window.fetch) return;
  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    // Events come in bursts (a StartTransaction, its StatusNotification, the first meter values): one re-read.
    setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        pending = false;
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("driver-live");
        if (!fresh) return;
        region.innerHTML = fresh.innerHTML;
        if (fresh.hasAttribute("data-running")) region.setAttribute("data-running", "");
        else region.removeAttribute("data-running");
      }).catch(function () { pending = false; });
    }, 300);
  }

  var rounds = 0;
  function poll() {
    if (!region.hasAttribute("data-running") || ++rounds > 720) return;
    refresh();
    setTimeout(poll, 5000);
  }

  var url = region.getAttribute("data-events");
  if (url && window.EventSource) {
    var source = new EventSource(url);
    source.addEventListener("changed", refresh);
    source.addEventListener("open", function () { region.setAttribute("data-live", "stream"); });
    source.onerror = function () {
      // The browser retries by itself; after the stream was refused (401, 503) it gives up: poll instead.
      if (source.readyState === EventSource.CLOSED) {
        region.setAttribute("data-live", "polling");
        setTimeout(poll, 5000);
      }
    };
  } else {
    setTimeout(poll, 5000);
  }
})();
