// The thing page, opened as a popup by embed.js: after a tip, offer to close the window.
// Without JavaScript the page works the same; the button just stays hidden.
(function () {
  "use strict";
  var close = document.getElementById("close-window");
  if (!close) return;
  close.hidden = false;
  close.addEventListener("click", function () {
    window.close();
  });
})();
