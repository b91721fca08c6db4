// Joule portal: live updates from the server's event stream (/portal/events, the API's SSE stream).
// Status badges and power change in place at once; a page region marked data-live-region is re-read from
// the server shortly after (counts, sessions), so the numbers are the server's, never guessed here.
(function () {
  "use strict";
  var region = document.querySelector("[data-live-region]");
  if (!region || !window.EventSource) return;
  var page = region.getAttribute("data-station-page");
  var url = "/portal/events" + (page ? "?station=" + encodeURIComponent(page) : "");
  var source = new EventSource(url);
  var pending = null;

  function esc(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }

  // Same order as views::station_status on the server.
  function stationStatus(online, connectors) {
    if (!online) return "Offline";
    var ids = Object.keys(connectors), values = ids.map(function (k) { return connectors[k]; });
    if (values.indexOf("Faulted") >= 0) return "Faulted";
    if (values.indexOf("Charging") >= 0) return "Charging";
    if (connectors["0"] === "Unavailable") return "Unavailable";
    var outlets = ids.filter(function (k) { return k !== "0"; });
    for (var i = 0; i < outlets.length; i++) if (connectors[outlets[i]] !== "Available") return connectors[outlets[i]];
    return outlets.length ? "Available" : "Online";
  }
  function statusClass(s) {
    if (s === "Available" || s === "Online") return "ok";
    if (s === "Faulted") return "bad";
    if (["Charging", "Preparing", "SuspendedEV", "SuspendedEVSE", "Finishing", "Occupied"].indexOf(s) >= 0) return "busy";
    return "off";
  }
  function setBadge(el, text) {
    el.textContent = text;
    el.className = "badge " + statusClass(text);
  }
  function parseConnectors(attr) {
    var out = {};
    (attr || "").split(",").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2) out[kv[0]] = kv[1];
    });
    return out;
  }
  function stationBadges(id, update) {
    document.querySelectorAll('[data-station-status="' + esc(id) + '"]').forEach(function (el) {
      var connectors = parseConnectors(el.getAttribute("data-connectors"));
      var online = update(connectors);
      el.setAttribute("data-connectors", Object.keys(connectors).map(function (k) { return k + "=" + connectors[k]; }).join(","));
      setBadge(el, stationStatus(online, connectors));
    });
  }
  // Re-reads the region from the server, at most every 2 s.
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(region.id);
        if (fresh) region.innerHTML = fresh.innerHTML;
      }).catch(function () {});
    }, 2000);
  }
  function on(name, handler) {
    source.addEventListener(name, function (e) {
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      handler(data);
      refresh();
    });
  }
  on("connected", function (d) { stationBadges(d.station_id, function () { return true; }); });
  on("disconnected", function (d) { stationBadges(d.station_id, function () { return false; }); });
  on("status", function (d) {
    document.querySelectorAll('[data-station="' + esc(d.station_id) + '"][data-connector="' + d.connector_id + '"]:not([data-power])')
      .forEach(function (el) { setBadge(el, d.status); });
    stationBadges(d.station_id, function (c) { c[String(d.connector_id)] = d.status; return true; });
  });
  on("meter-values", function (d) {
    (d.samples || []).forEach(function (s) {
      if (s.measurand !== "Power.Active.Import" || s.value == null || s.phase) return;
      var text = (s.value / 1000).toFixed(1) + " kW";
      document.querySelectorAll('[data-power][data-station="' + esc(d.station_id) + '"][data-connector="' + d.connector_id + '"]')
        .forEach(function (el) { el.textContent = text; });
    });
  });
  ["booted", "session-started", "session-stopped", "out-of-service", "back-in-service"].forEach(function (n) { on(n, function () {}); });
})();
