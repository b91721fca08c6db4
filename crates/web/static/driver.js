// Joule driver page: while a session runs, the region with the session is re-read from the server every
// 5 seconds (energy, power and cost so far are the server's figures, never computed here). Stops by itself
// when the session has ended or after an hour without one.
(function () {
  "use strict";
  var region = document.getElementById("driver-live");
  if (!region || !window.fetch) return;
  var rounds = 0;
  function tick() {
    if (!region.hasAttribute("data-running") || ++rounds > 720) return;
    fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("driver-live");
        if (fresh) {
          region.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute("data-running")) region.setAttribute("data-running", "");
          else region.removeAttribute("data-running");
        }
      }
      setTimeout(tick, 5000);
    }).catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 5000);
})();
