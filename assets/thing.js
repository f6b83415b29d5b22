// The thing page. Opened as a popup by embed.js, it offers to close the window after a tip;
// opened any other way, closing would do nothing, so it keeps the link back to the creator's
// page instead. Without JavaScript the page works the same: the button stays hidden.
(function () {
  "use strict";
  var close = document.getElementById("close-window");
  if (!close || !window.opener) return;
  close.hidden = false;
  var back = document.getElementById("back-to-page");
  if (back) back.hidden = true;
  close.addEventListener("click", function () {
    window.close();
  });
})();
