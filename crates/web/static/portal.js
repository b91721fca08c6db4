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

  // Same order as views::station_status on the server: decided on each connector's shared state (2.0.1
  // ConnectorStatusEnumType) and charging state, shown as the station reported it.
  function stationStatus(online, connectors) {
    if (!online) return { text: "Offline", cls: "off" };
    var ids = Object.keys(connectors);
    function find(test) {
      for (var i = 0; i < ids.length; i++) if (test(ids[i], connectors[ids[i]])) return connectors[ids[i]];
      return null;
    }
    var c = find(function (id, x) { return x.state === "Faulted"; }) ||
      find(function (id, x) { return x.charging_state === "Charging"; }) ||
      find(function (id, x) { return id === "0" && x.state === "Unavailable"; }) ||
      find(function (id, x) { return id !== "0" && x.state !== "Available"; });
    if (c) return { text: c.status, cls: stateClass(c.state) };
    var outlets = ids.filter(function (k) { return k !== "0"; });
    return { text: outlets.length ? "Available" : "Online", cls: "ok" };
  }
  function stateClass(s) {
    if (s === "Available") return "ok";
    if (s === "Occupied") return "busy";
    if (s === "Faulted") return "bad";
    return "off";
  }
  function setBadge(el, text, cls) {
    el.textContent = text;
    el.className = "badge " + cls;
  }
  function parseConnectors(attr) {
    try { return JSON.parse(attr || "{}") || {}; } catch (err) { return {}; }
  }
  function stationBadges(id, update) {
    document.querySelectorAll('[data-station-status="' + esc(id) + '"]').forEach(function (el) {
      var connectors = parseConnectors(el.getAttribute("data-connectors"));
      var online = update(connectors);
      el.setAttribute("data-connectors", JSON.stringify(connectors));
      var badge = stationStatus(online, connectors);
      setBadge(el, badge.text, badge.cls);
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
      .forEach(function (el) { setBadge(el, d.status, stateClass(d.state)); });
    stationBadges(d.station_id, function (c) {
      c[String(d.connector_id)] = { status: d.status, state: d.state, charging_state: d.charging_state };
      return true;
    });
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
