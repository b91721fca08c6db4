// Joule settings page: the copy buttons (the OCPP URL, a new token's secret) copy their element's text.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent;
      var status = document.getElementById("copy-status");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = "Copied";
          if (status) status.textContent = "";
        }, function () { if (status) status.textContent = "Select the text and copy it."; });
      } else if (status) {
        status.textContent = "Select the text and copy it.";
      }
    });
  });
})();
