// Joule installer page: "Use my location" fills the GPS fields from the phone (the browser's geolocation, with
// its accuracy), and a chosen photo is sent as it is to the portal, which passes it to the API.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  if (button && navigator.geolocation) {
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById("lat").value = p.coords.latitude.toFixed(6);
        document.getElementById("lon").value = p.coords.longitude.toFixed(6);
        document.getElementById("accuracy_m").value = Math.round(p.coords.accuracy);
        status.textContent = "Location found (± " + Math.round(p.coords.accuracy) + " m). Save to keep it.";
      }, function (e) {
        status.textContent = "No location: " + e.message;
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  var input = document.querySelector("[data-upload]");
  var photoStatus = document.getElementById("photo-status");
  if (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      photoStatus.textContent = "Uploading…";
      fetch(input.getAttribute("data-upload"), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "content-type": file.type || "application/octet-stream", "x-csrf-token": input.getAttribute("data-csrf") },
        body: file
      }).then(function (r) {
        return r.text().then(function (t) { photoStatus.textContent = t; });
      }).catch(function () { photoStatus.textContent = "The upload failed; try again."; });
    });
  }
})();
